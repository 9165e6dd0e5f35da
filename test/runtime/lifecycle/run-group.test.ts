import t from 'tap';
import { EventEmitter } from 'node:events';
import { RunGroup } from '../../../runtime/lifecycle/run-group.js';
import { signalMember, type SignalSource } from '../../../runtime/lifecycle/signals.js';

/** A member that runs until aborted, recording its stop order. */
function untilAborted(order: string[], name: string) {
  return (signal: AbortSignal) => new Promise<void>((resolve) => {
    signal.addEventListener('abort', () => { order.push(name); resolve(); }, { once: true });
  });
}

t.test('run group - the first member to return stops the others in reverse order and run() resolves', async (t) => {
  const g = new RunGroup();
  const order: string[] = [];
  let finish!: () => void;
  g.add('http', untilAborted(order, 'http'));
  g.add('transport', untilAborted(order, 'transport'));
  g.add('worker', () => new Promise<void>((r) => { finish = r; }));
  g.add('actors', untilAborted(order, 'actors'));
  const running = g.run();
  finish();
  t.same(await running, { first: 'worker' });
  t.same(order, ['actors', 'transport', 'http']);
  await t.rejects(g.run(), /already running/);
  t.throws(() => g.add('late', async () => {}));
});

t.test('run group - the first error interrupts the others and run() rejects with it after all finished', async (t) => {
  const g = new RunGroup();
  const interrupted: unknown[] = [];
  let stopped = false;
  let fail!: (e: Error) => void;
  g.add('slow-stopper', (signal) => new Promise<void>((resolve) => {
    signal.addEventListener('abort', () => setImmediate(() => { stopped = true; resolve(); }), { once: true });
  }), (cause) => { interrupted.push(cause); });
  g.add('broken', () => new Promise<void>((_, reject) => { fail = reject; }));
  g.add('throws-sync', untilAborted([], 'x'), () => { throw new Error('interrupt failed'); });
  const boom = new Error('listening on :10902: address in use');
  const running = g.run();
  fail(boom);
  const err = await running.catch((e: unknown) => e);
  t.equal(err, boom);
  t.equal(stopped, true, 'run() waited for the slow member');
  t.same(interrupted, [boom], 'interrupt gets the cause');
});

t.test('run group - a member throwing synchronously counts as its exit; empty group resolves', async (t) => {
  const g = new RunGroup();
  g.add('bad', () => { throw new Error('sync'); });
  g.add('other', untilAborted([], 'other'));
  await t.rejects(g.run(), /sync/);
  t.same(await new RunGroup().run(), { first: '' });
});

t.test('signal member - SIGTERM ends the group cleanly and removes its listeners', async (t) => {
  const source = new EventEmitter();
  const g = new RunGroup();
  const order: string[] = [];
  const seen: string[] = [];
  g.add('server', untilAborted(order, 'server'));
  g.addMember(signalMember({ source: source as unknown as SignalSource, onSignal: (s) => seen.push(s) }));
  const running = g.run();
  t.equal(source.listenerCount('SIGTERM'), 1);
  source.emit('SIGTERM');
  t.same(await running, { first: 'signals' });
  t.same(seen, ['SIGTERM']);
  t.same(order, ['server']);
  t.equal(source.listenerCount('SIGTERM') + source.listenerCount('SIGINT'), 0);
});

t.test('signal member - returns when the group interrupts it', async (t) => {
  const source = new EventEmitter();
  const g = new RunGroup();
  g.add('job', async () => {});
  g.addMember(signalMember({ source: source as unknown as SignalSource }));
  t.same(await g.run(), { first: 'job' });
  t.equal(source.listenerCount('SIGINT'), 0);
});
