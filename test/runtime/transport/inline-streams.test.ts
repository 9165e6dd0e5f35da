import t from 'tap';
import { setTimeout as delay } from 'node:timers/promises';
import { CancelledError } from '../../../runtime/errors/runtime-errors.js';
import { parseStreamReply, streamInlineMessage } from '../../../runtime/transport/envelope.js';
import { INLINE_HOLD_MS, INLINE_MAX_BYTES } from '../../../runtime/transport/stream-producer.js';
import type { Subject } from '../../../runtime/transport/transport.js';
import { natsForFile } from './transport.contract.js';

// Small streams answered whole in the open request's reply, over a real nats-server.
const { srv, connect } = await natsForFile(t);
const producer = await connect('inline-producer');
const consumer = await connect('inline-consumer');
const collect = async (s: string, o: { inline?: boolean } = {}): Promise<unknown[]> => {
  const out: unknown[] = [];
  for await (const v of consumer.requestStream(s as Subject, null, { timeoutMs: 5000, ...o })) out.push(v);
  return out;
};

producer.handleStream('in.small' as Subject, async (_r, out) => { for (let i = 0; i < 50; i++) await out.write({ i, s: 'x'.repeat(20) }); });
producer.handleStream('in.big' as Subject, async (_r, out) => { for (let i = 0; i < 40; i++) await out.write(new Uint8Array(4096).fill(i)); });
producer.handleStream('in.fail' as Subject, async (_r, out) => { await out.write('before'); throw new CancelledError('handler gave up'); });
producer.handleStream('in.slow' as Subject, async (_r, out) => { await out.write(1); await delay(INLINE_HOLD_MS * 4); await out.write(2); });
let cancelled = false;
producer.handleStream('in.hang' as Subject, async (_r, out) => {
  await new Promise<void>((resolve) => out.signal.addEventListener('abort', () => { cancelled = true; resolve(); }, { once: true }));
});
await producer.flush();

t.test('a small stream comes back in one reply: same values, no frame messages', async (t) => {
  const before = { ...producer.stats };
  const sent = (await srv.monitor('varz')).in_msgs as number;
  const got = await collect('in.small');
  t.same(got, Array.from({ length: 50 }, (_, i) => ({ i, s: 'x'.repeat(20) })));
  t.equal(producer.stats.streamsInline - before.streamsInline, 1);
  const msgs = ((await srv.monitor('varz')).in_msgs as number) - sent;
  t.ok(msgs <= 2, `${msgs} messages through the server (open request and its reply)`);
});

t.test('a stream larger than the inline bound is streamed, in order, with credit', async (t) => {
  const before = producer.stats.streamsInline;
  const got = await collect('in.big') as Uint8Array[];
  t.equal(got.length, 40);
  t.ok(got.every((v, i) => v.length === 4096 && v[0] === i));
  t.ok(40 * 4096 > INLINE_MAX_BYTES);
  t.equal(producer.stats.streamsInline, before, 'not inline');
});

t.test('an error after values arrives inline behind them', async (t) => {
  const got: unknown[] = [];
  await t.rejects((async () => { for await (const v of consumer.requestStream('in.fail' as Subject, null, { timeoutMs: 5000 })) got.push(v); })(), { code: 'CANCELLED', message: /handler gave up/ });
  t.same(got, ['before']);
});

t.test('a producer slower than the hold time streams what it has, then the rest', async (t) => {
  const before = producer.stats.streamsInline;
  t.same(await collect('in.slow'), [1, 2]);
  t.equal(producer.stats.streamsInline, before);
});

t.test('inline: false always streams', async (t) => {
  const before = producer.stats.streamsInline;
  t.same((await collect('in.small', { inline: false })).length, 50);
  t.equal(producer.stats.streamsInline, before);
});

t.test('a consumer that gives up while the producer holds still cancels it once streaming starts', async (t) => {
  cancelled = false;
  const ac = new AbortController();
  const it = consumer.requestStream('in.hang' as Subject, null, { timeoutMs: 5000, signal: ac.signal })[Symbol.asyncIterator]();
  const first = it.next();
  await delay(2);
  ac.abort();
  await t.rejects(first);
  for (let i = 0; i < 100 && !cancelled; i++) await delay(10);
  t.ok(cancelled, 'the producer saw the cancel');
});

t.test('inline replies are validated', async (t) => {
  t.same(parseStreamReply(streamInlineMessage([Uint8Array.of(1)]), 's').kind, 'inline');
  t.throws(() => parseStreamReply({ kind: 'stream-inline', frames: [] }, 's'), { code: 'DECODE' });
  t.throws(() => parseStreamReply({ kind: 'stream-inline', frames: ['x'] }, 's'), { code: 'DECODE' });
  t.throws(() => parseStreamReply({ kind: 'stream-inline' }, 's'), { code: 'DECODE' });
  t.same(parseStreamReply({ kind: 'stream-accept', control: 'c' }, 's'), { kind: 'accept', control: 'c' });
});
