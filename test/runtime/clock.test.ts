import t from 'tap';
import { FakeClock, systemClock } from '../../runtime/clock.js';
import { CancelledError } from '../../runtime/errors/runtime-errors.js';

t.test('fake clock - advance fires due timers in due order, ties in insertion order', async (t) => {
  const c = new FakeClock(1000);
  const fired: string[] = [];
  c.setTimer(30, () => fired.push(`c@${c.now()}`));
  c.setTimer(10, () => fired.push(`a@${c.now()}`));
  c.setTimer(10, () => fired.push(`b@${c.now()}`));
  const x = c.setTimer(20, () => fired.push('cancelled'));
  x.cancel();
  x.cancel();
  c.advance(25);
  t.same(fired, ['a@1010', 'b@1010']);
  t.equal(c.now(), 1025);
  c.advance(5);
  t.same(fired, ['a@1010', 'b@1010', 'c@1030']);
  t.equal(c.pending, 0);
});

t.test('fake clock - sleep resolves on advance and rejects with CancelledError on abort', async (t) => {
  const c = new FakeClock();
  const p = c.sleep(100);
  await c.whenPending(1);
  await c.tick(100);
  await p;
  const ac = new AbortController();
  const q = c.sleep(100, ac.signal);
  ac.abort();
  await t.rejects(q, CancelledError);
  t.equal(c.pending, 0, 'aborted sleep frees its timer');
  await t.rejects(c.sleep(1, ac.signal), CancelledError, 'already aborted');
});

t.test('fake clock - tick fires timers chained by promise callbacks within the window', async (t) => {
  const c = new FakeClock(0);
  const seen: number[] = [];
  void (async () => { await c.sleep(10); seen.push(c.now()); await c.sleep(10); seen.push(c.now()); })();
  await c.tick(25);
  t.same(seen, [10, 20]);
  t.equal(c.now(), 25);
});

t.test('system clock - sleep resolves and honours abort', async (t) => {
  const before = systemClock.now();
  await systemClock.sleep(1);
  t.ok(systemClock.now() >= before);
  const ac = new AbortController();
  const p = systemClock.sleep(60_000, ac.signal);
  ac.abort();
  await t.rejects(p, CancelledError);
});
