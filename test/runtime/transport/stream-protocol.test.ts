import t from 'tap';
import { encode } from '../../../runtime/codec/codec.js';
import { ConfigError, PayloadTooLargeError, StreamBrokenError } from '../../../runtime/errors/runtime-errors.js';
import {
  decodeControl, decodeFrame, encodeCancel, encodeCredit, encodeDataFrame, encodeEndFrame, encodeErrorFrame, encodePartFrame,
} from '../../../runtime/transport/frame.js';
import { LocalBus, LocalTransport } from '../../../runtime/transport/local-transport.js';
import type { Subject } from '../../../runtime/transport/transport.js';
import { deferred } from './transport.contract.js';

t.test('frames and control messages round-trip and reject garbage', async (t) => {
  t.same(decodeFrame(encodeDataFrame(7, Uint8Array.of(1, 2)), 'f'), { kind: 'data', seq: 7, body: Uint8Array.of(1, 2) });
  t.same(decodeFrame(encodePartFrame(8, 1, 3, 100, Uint8Array.of(5)), 'f'), { kind: 'part', seq: 8, index: 1, count: 3, total: 100, body: Uint8Array.of(5) });
  t.same(decodeFrame(encodeEndFrame(9), 'f'), { kind: 'end', seq: 9 });
  t.same(decodeFrame(encodeErrorFrame(10, Uint8Array.of(3)), 'f'), { kind: 'error', seq: 10, body: Uint8Array.of(3) });
  t.same(decodeControl(encodeCredit(8, 12345), 'c'), { kind: 'credit', frames: 8, bytes: 12345 });
  t.same(decodeControl(encodeCancel(), 'c'), { kind: 'cancel' });
  t.throws(() => decodeFrame(Uint8Array.of(1, 0), 'f'), StreamBrokenError);
  t.throws(() => decodeFrame(Uint8Array.of(99, 0, 0, 0, 0), 'f'), StreamBrokenError);
  t.throws(() => decodeFrame(encodePartFrame(0, 3, 3, 10, Uint8Array.of(1)), 'f'), StreamBrokenError);
  t.throws(() => decodeFrame(Uint8Array.of(3, 0, 0, 0, 0, 1), 'f'), StreamBrokenError, 'end frame with a body');
  t.throws(() => decodeControl(Uint8Array.of(16, 1), 'c'), StreamBrokenError);
});

/** A hand-driven producer on `tr`: records the open request and control messages. */
function fakeProducer(tr: LocalTransport, subject: Subject) {
  const opened = deferred<{ inbox: string; window: number }>();
  const control: Uint8Array[] = [];
  const cancelled = deferred();
  const controlSubject = tr.subjects.inbox('fakecontrol' + Math.random().toString(36).slice(2));
  tr.subscribeBytes(controlSubject, (d) => { control.push(d); if (d[0] === 17) cancelled.resolve(); });
  tr.handle(subject, async (req) => {
    opened.resolve(req as { inbox: string; window: number });
    return { kind: 'stream-accept', control: controlSubject };
  });
  return { opened: opened.promise, control, cancelled: cancelled.promise };
}

async function readAll(it: AsyncIterable<unknown>): Promise<{ values: unknown[]; err: unknown }> {
  const values: unknown[] = [];
  try { for await (const v of it) values.push(v); return { values, err: undefined }; } catch (err) { return { values, err }; }
}

t.test('a missing frame breaks the stream and cancels the producer', async (t) => {
  const bus = new LocalBus();
  const [p, c] = [new LocalTransport({ bus }), new LocalTransport({ bus })];
  const fake = fakeProducer(p, 'x.gap' as Subject);
  const reading = readAll(c.requestStream('x.gap' as Subject, 0, { timeoutMs: 2000 }));
  const { inbox } = await fake.opened;
  p.publishBytes(inbox, encodeDataFrame(0, encode('a')));
  p.publishBytes(inbox, encodeDataFrame(2, encode('c')));
  const r = await reading;
  t.same(r.values, ['a']);
  t.ok(r.err instanceof StreamBrokenError);
  t.match((r.err as Error).message, /frame 2 arrived, expected 1/);
  await fake.cancelled;
  t.equal(c.stats.broken, 1);
});

t.test('a producer that ignores credit breaks the stream', async (t) => {
  const bus = new LocalBus();
  const [p, c] = [new LocalTransport({ bus }), new LocalTransport({ bus })];
  const fake = fakeProducer(p, 'x.flood' as Subject);
  const it = c.requestStream('x.flood' as Subject, 0, { timeoutMs: 2000, window: 2 })[Symbol.asyncIterator]();
  const first = it.next();
  const { inbox, window } = await fake.opened;
  t.equal(window, 2);
  for (let i = 0; i < 3; i++) p.publishBytes(inbox, encodeDataFrame(i, encode(i)));
  t.same(await first, { done: false, value: 0 });
  await t.rejects(async () => { for (;;) { const n = await it.next(); if (n.done) break; } }, StreamBrokenError);
});

t.test('a split value above the consumer limit is refused before buffering', async (t) => {
  const bus = new LocalBus();
  const p = new LocalTransport({ bus });
  const c = new LocalTransport({ bus, maxStreamValueBytes: 10_000 });
  const fake = fakeProducer(p, 'x.huge' as Subject);
  const reading = readAll(c.requestStream('x.huge' as Subject, 0, { timeoutMs: 2000 }));
  const { inbox } = await fake.opened;
  p.publishBytes(inbox, encodePartFrame(0, 0, 1000, 4_000_000_000, new Uint8Array(10)));
  const r = await reading;
  t.ok(r.err instanceof PayloadTooLargeError);
  await fake.cancelled;
});

t.test('inconsistent parts break the stream', async (t) => {
  const bus = new LocalBus();
  const [p, c] = [new LocalTransport({ bus }), new LocalTransport({ bus })];
  const fake = fakeProducer(p, 'x.parts' as Subject);
  const reading = readAll(c.requestStream('x.parts' as Subject, 0, { timeoutMs: 2000 }));
  const { inbox } = await fake.opened;
  p.publishBytes(inbox, encodePartFrame(0, 0, 2, 10, new Uint8Array(5)));
  p.publishBytes(inbox, encodePartFrame(1, 1, 2, 10, new Uint8Array(9)));
  t.ok((await reading).err instanceof StreamBrokenError);
});

t.test('a stream open must name a private inbox', async (t) => {
  const bus = new LocalBus();
  const [p, c] = [new LocalTransport({ bus }), new LocalTransport({ bus })];
  p.handleStream('x.open' as Subject, async (_r, out) => { await out.write(1); });
  const bad = { kind: 'stream-open', inbox: 'athanor.rpc.store.series', window: 4, stallTimeoutMs: 1000, body: null };
  await t.rejects(c.request('x.open' as Subject, bad, { timeoutMs: 1000 }), ConfigError);
  await t.rejects(c.request('x.open' as Subject, { kind: 'stream-open', inbox: 'athanor.inbox.x', window: 0, stallTimeoutMs: 1, body: 1 }, { timeoutMs: 1000 }), /window must be at least 1/);
});

t.test('values of many parts pass through a window of one; over-limit writes are refused', async (t) => {
  const bus = new LocalBus();
  const p = new LocalTransport({ bus, streamFrameBytes: 4096, maxStreamValueBytes: 1_000_000 });
  const c = new LocalTransport({ bus });
  const refused = deferred<unknown>();
  p.handleStream('x.many' as Subject, async (_r, out) => {
    await out.write(new Uint8Array(100_000).fill(7));
    await out.write(new Uint8Array(2_000_000)).catch((e: unknown) => { refused.resolve(e); throw e; });
  });
  const r = await readAll(c.requestStream('x.many' as Subject, 0, { timeoutMs: 2000, window: 1 }));
  t.equal(r.values.length, 1);
  const v = r.values[0] as Uint8Array;
  t.ok(v.length === 100_000 && v.every((x) => x === 7));
  t.ok(await refused.promise instanceof PayloadTooLargeError, 'the producer refuses a value above its limit');
  t.ok(r.err instanceof PayloadTooLargeError, 'and the consumer gets that error');
  t.ok(p.stats.framesSent >= 26, `split into parts (${p.stats.framesSent} frames)`);
  t.equal(c.stats.framesReceived, p.stats.framesSent);
});

t.test('property: any sequence of values survives any window and frame size, in order', async () => {
  const fc = (await import('fast-check')).default;
  await fc.assert(fc.asyncProperty(
    fc.array(fc.oneof(fc.uint8Array({ maxLength: 6000 }), fc.string(), fc.integer(), fc.constant(null)), { maxLength: 40 }),
    fc.integer({ min: 1, max: 8 }),
    fc.integer({ min: 1024, max: 4096 }),
    async (values, window, frameBytes) => {
      const bus = new LocalBus();
      const p = new LocalTransport({ bus, streamFrameBytes: frameBytes });
      const c = new LocalTransport({ bus });
      p.handleStream('x.prop' as Subject, async (_r, out) => { for (const v of values) await out.write(v); });
      const r = await readAll(c.requestStream('x.prop' as Subject, 0, { timeoutMs: 5000, window }));
      await Promise.all([p.drain(), c.drain()]);
      if (r.err !== undefined) throw r.err;
      if (r.values.length !== values.length) return false;
      return r.values.every((v, i) => {
        const w = values[i];
        return w instanceof Uint8Array ? v instanceof Uint8Array && Buffer.from(v).equals(Buffer.from(w)) : v === w;
      });
    }), { numRuns: 40 });
});

t.test('large values written in a burst leave as they are written, in frames that grow to full size', async (t) => {
  const bus = new LocalBus();
  const [p, c] = [new LocalTransport({ bus }), new LocalTransport({ bus })];
  const big = new Uint8Array(20 * 1024);
  const sentAfter: number[] = [];
  p.handleStream('x.burst' as Subject, async (_req, out) => {
    // One burst: no turn of the event loop between writes.
    for (let i = 0; i < 60; i++) { await out.write(big); sentAfter.push(p.stats.framesSent); }
  });
  const r = await readAll(c.requestStream('x.burst' as Subject, 'go', { timeoutMs: 5000, window: 64, inline: false }));
  t.equal(r.values.length, 60);
  t.equal(sentAfter[1], 1, 'the first 32 KiB went out during the burst, after the second value');
  const frames = p.stats.framesSent - 1; // without the end frame
  t.ok(frames <= 10, `60 values of 20 KiB in ${frames} frames: later frames carry up to a full frame`);
  t.ok(frames >= 5, `${frames} frames: the first ones were sent early, not batched to full size`);
});

t.test('small values are batched into few frames; a value written alone is sent promptly', async (t) => {
  const bus = new LocalBus();
  const [p, c] = [new LocalTransport({ bus }), new LocalTransport({ bus })];
  const gate = deferred();
  p.handleStream('x.batch' as Subject, async (req, out) => {
    if (req === 'one') { await out.write('alone'); await gate.promise; return; }
    for (let i = 0; i < 5000; i++) await out.write({ i });
  });
  const r = await readAll(c.requestStream('x.batch' as Subject, 'many', { timeoutMs: 5000, window: 2 }));
  t.equal(r.values.length, 5000);
  t.ok(r.values.every((v, i) => (v as { i: number }).i === i), 'in order');
  // At most 1024 values per frame; waits for credit may flush a partial batch early.
  t.ok(p.stats.framesSent <= 20, `5000 values in ${p.stats.framesSent} frames`);
  // The producer now waits on something else: the value it wrote must not wait for a full batch.
  const it = c.requestStream('x.batch' as Subject, 'one', { timeoutMs: 5000 })[Symbol.asyncIterator]();
  t.same(await it.next(), { done: false, value: 'alone' });
  gate.resolve();
  t.same(await it.next(), { done: true, value: undefined });
});
