import t from 'tap';
import { setImmediate as tick } from 'node:timers/promises';
import type { Subject } from '../../../runtime/transport/transport.js';
import { natsForFile } from './transport.contract.js';

// Stream inboxes share one wildcard subscription per connection (no SUB/UNSUB per stream), over a
// real nats-server: many streams at once add no server subscriptions, each stream still gets only
// its own frames, and frames for a stream that was cancelled are dropped and counted.
const { srv, connect } = await natsForFile(t);
const producer = await connect('mux-producer');
const consumer = await connect('mux-consumer');

let release: () => void = () => undefined;
const gate = new Promise<void>((r) => { release = r; });
producer.handleStream('mux.held' as Subject, async (req, out) => {
  const id = (req as { id: number }).id;
  await out.write({ id, n: 0 });
  await gate;
  for (let n = 1; n < 5; n++) await out.write({ id, n });
});
producer.handleStream('mux.burst' as Subject, async (_r, out) => {
  // Every value in its own frame, as fast as credit allows.
  for (let n = 0; n < 12; n++) { await out.write(new Uint8Array(70_000).fill(n)); await tick(); }
});
await producer.flush();

const subscriptions = async (): Promise<number> => (await srv.monitor('subsz')).num_subscriptions as number;

t.test('streams at once add no subscriptions; each gets its own frames in order', async (t) => {
  // One stream first, so both connections' inbox subscriptions exist.
  for await (const v of consumer.requestStream('mux.burst' as Subject, null, { timeoutMs: 5000, inline: false })) void v;
  await Promise.all([producer.flush(), consumer.flush()]);
  const before = await subscriptions();
  const streams = Array.from({ length: 10 }, (_, id) => consumer.requestStream('mux.held' as Subject, { id }, { timeoutMs: 5000, inline: false })[Symbol.asyncIterator]());
  const firsts = await Promise.all(streams.map((s) => s.next()));
  t.same(firsts.map((r) => r.value), Array.from({ length: 10 }, (_, id) => ({ id, n: 0 })));
  await Promise.all([producer.flush(), consumer.flush()]);
  t.equal(await subscriptions(), before, `10 open streams, server subscriptions still ${before}`);
  release();
  const rest = await Promise.all(streams.map(async (s) => { const got: unknown[] = []; for (let r = await s.next(); r.done !== true; r = await s.next()) got.push(r.value); return got; }));
  rest.forEach((got, id) => t.same(got, [1, 2, 3, 4].map((n) => ({ id, n })), `stream ${id}: its own values, in order`));
});

t.test('frames arriving after a consumer cancelled are dropped and counted; the next stream is whole', async (t) => {
  const before = consumer.stats.inboxDropped;
  for await (const v of consumer.requestStream('mux.burst' as Subject, null, { timeoutMs: 5000, inline: false })) { t.equal((v as Uint8Array)[0], 0); break; }
  // Frames the producer sent before the cancel reached it land on the removed route.
  for (let i = 0; i < 50 && consumer.stats.inboxDropped === before; i++) await new Promise((r) => setTimeout(r, 10));
  t.ok(consumer.stats.inboxDropped > before, `${consumer.stats.inboxDropped - before} late frames dropped`);
  const whole: number[] = [];
  for await (const v of consumer.requestStream('mux.burst' as Subject, null, { timeoutMs: 5000, inline: false })) whole.push((v as Uint8Array)[0]!);
  t.same(whole, Array.from({ length: 12 }, (_, n) => n));
});
