import t from 'tap';
import { BoundedMailbox } from '../../../runtime/actor/mailbox.js';
import { ActorMetrics } from '../../../runtime/actor/metrics.js';
import { ClosedError, MailboxFullError } from '../../../runtime/errors/runtime-errors.js';
import { createRegistry } from '../../../runtime/metrics/registry.js';

t.test('mailbox - reject policy throws a retryable MailboxFullError and keeps the queue intact', async (t) => {
  const registry = createRegistry({ defaultMetrics: false });
  const m = new ActorMetrics(registry);
  const mb = new BoundedMailbox<number>('a', { capacity: 2, overflow: 'reject' }, m.observer('a'));
  mb.push(1);
  mb.push(2);
  const err = t.throws(() => mb.push(3)) as unknown;
  t.ok(err instanceof MailboxFullError);
  t.equal((err as InstanceType<typeof MailboxFullError>).retryable, true);
  t.equal((err as InstanceType<typeof MailboxFullError>).code, 'RT_MAILBOX_FULL');
  t.equal(mb.rejectedCount, 1);
  t.equal(mb.size, 2);
  t.equal(await mb.take(), 1);
  t.equal(await mb.take(), 2);
  const text = await registry.metrics();
  t.match(text, /athanor_actor_mailbox_rejected_total\{actor="a"\} 1/);
  t.match(text, /athanor_actor_mailbox_depth\{actor="a"\} 0/);
});

t.test('mailbox - drop-oldest discards the oldest message and counts it', async (t) => {
  const registry = createRegistry({ defaultMetrics: false });
  const m = new ActorMetrics(registry);
  const mb = new BoundedMailbox<string>('b', { capacity: 3, overflow: 'drop-oldest' }, m.observer('b'));
  for (const x of ['a', 'b', 'c']) t.equal(mb.push(x), undefined);
  t.equal(mb.push('d'), 'a');
  t.equal(mb.push('e'), 'b');
  t.equal(mb.droppedCount, 2);
  t.same([mb.tryTake(), mb.tryTake(), mb.tryTake(), mb.tryTake()], ['c', 'd', 'e', undefined]);
  t.match(await registry.metrics(), /athanor_actor_mailbox_dropped_total\{actor="b"\} 2/);
});

t.test('mailbox - take waits for a push; close wakes it with ClosedError and returns the rest', async (t) => {
  const mb = new BoundedMailbox<number>('c', { capacity: 4, overflow: 'reject' });
  const p = mb.take();
  mb.push(7);
  t.equal(await p, 7);
  mb.push(8);
  mb.push(9);
  t.same(mb.close(), [8, 9]);
  await t.rejects(mb.take(), ClosedError);
  t.throws(() => mb.push(1), ClosedError);
  const mb2 = new BoundedMailbox<number>('d', { capacity: 1, overflow: 'reject' });
  const waiting = mb2.take();
  mb2.close();
  await t.rejects(waiting, ClosedError);
  t.throws(() => new BoundedMailbox('e', { capacity: 0, overflow: 'reject' }), RangeError);
});

t.test('mailbox - a ring buffer keeps FIFO order across many wraps', async (t) => {
  const mb = new BoundedMailbox<number>('f', { capacity: 3, overflow: 'reject' });
  const out: number[] = [];
  for (let i = 0; i < 20; i++) { mb.push(i); if (i % 2 === 1) { out.push(mb.tryTake()!); out.push(mb.tryTake()!); } }
  t.same(out, Array.from({ length: 20 }, (_, i) => i));
});
