import t from 'tap';
import { setTimeout as delay } from 'node:timers/promises';
import { CancelledError, ClosedError, StreamStalledError } from '../../../runtime/errors/runtime-errors.js';
import type { StreamWriter, Subject } from '../../../runtime/transport/transport.js';
import { deferred, natsForFile } from './transport.contract.js';

// Flow-control proofs over a real nats-server: bounded producer memory under a slow consumer,
// no slow-consumer disconnects, dead consumers free their producers, and streams are isolated.
const { srv, connect } = await natsForFile(t);


const VALUE = 64 * 1024;
const WINDOW = 16;

t.test('a 200 MB stream to a slow consumer keeps the producer bounded and never trips slow-consumer', async (t) => {
  const producer = await connect('producer');
  const consumer = await connect('consumer');
  const count = 3200; // 3200 x 64 KiB = 200 MiB
  let maxBuffered = 0;
  producer.handleStream('fc.big' as Subject, async (_req, out) => {
    const value = new Uint8Array(VALUE);
    for (let i = 0; i < count; i++) {
      value[0] = i & 0xff;
      await out.write(value);
      if (out.bufferedBytes > maxBuffered) maxBuffered = out.bufferedBytes;
    }
  });
  await producer.flush();
  let n = 0;
  let bytes = 0;
  for await (const v of consumer.requestStream('fc.big' as Subject, null, { timeoutMs: 10_000, window: WINDOW })) {
    const u = v as Uint8Array;
    if (u[0] !== (n & 0xff)) t.fail(`value ${n} out of order`);
    bytes += u.length;
    n++;
    if (n % 100 === 0) await delay(5); // a slow reader: pauses regularly
  }
  t.equal(n, count);
  t.equal(bytes, count * VALUE);
  const bound = (WINDOW + 1) * producer.frameBytes; // the window in flight plus the batch being filled
  t.ok(maxBuffered <= bound, `producer buffered at most ${maxBuffered} bytes (bound ${bound})`);
  const varz = await srv.monitor('varz');
  t.equal(varz.slow_consumers, 0, 'nats-server saw no slow consumer');
  t.notOk(producer.connection.isClosed(), 'producer connection open');
  t.notOk(consumer.connection.isClosed(), 'consumer connection open');
  t.equal(producer.stats.stalls, 0);
  const dataFrames = consumer.stats.framesReceived - 1;
  t.ok(consumer.stats.creditGrants >= Math.floor(dataFrames / (WINDOW / 4)) - 1, `credit flowed in quarter-window grants (${consumer.stats.creditGrants} for ${dataFrames} frames)`);
});

t.test('a consumer that dies mid-stream stops its producer within the stall timeout', async (t) => {
  const producer = await connect('producer2');
  const consumer = await connect('consumer2');
  const stopped = deferred<{ err: unknown; aborted: boolean; buffered: number }>();
  producer.handleStream('fc.dies' as Subject, async (_req, out) => {
    try {
      for (let i = 0; ; i++) await out.write(new Uint8Array(VALUE));
    } catch (err) {
      stopped.resolve({ err, aborted: out.signal.aborted, buffered: out.bufferedBytes });
      throw err;
    }
  });
  await producer.flush();
  let n = 0;
  const readErr = await (async () => {
    for await (const _ of consumer.requestStream('fc.dies' as Subject, null, { timeoutMs: 5000, window: 8, stallTimeoutMs: 1000 })) {
      if (++n === 20) await consumer.close(); // the consumer's connection vanishes mid-stream
    }
  })().catch((e: unknown) => e);
  t.ok(readErr instanceof ClosedError, 'the dead consumer itself sees ClosedError');
  const r = await stopped.promise;
  t.ok(r.err instanceof StreamStalledError, 'producer failed with StreamStalledError');
  t.ok(r.aborted, 'writer.signal aborted');
  t.ok(r.buffered <= 9 * producer.frameBytes, `nothing beyond the window was buffered (${r.buffered})`);
  t.equal(producer.stats.stalls, 1);
});

t.test('one stalled stream does not slow another on the same connections', async (t) => {
  const producer = await connect('producer3');
  const consumer = await connect('consumer3');
  const stalledGaveUp = deferred<unknown>();
  let stalledWriter: StreamWriter | undefined;
  producer.handleStream('fc.iso' as Subject, async (req, out) => {
    const { stall, count } = req as { stall: boolean; count: number };
    if (stall) stalledWriter = out;
    try {
      for (let i = 0; i < count; i++) await out.write(new Uint8Array(VALUE));
    } catch (err) {
      if (stall) stalledGaveUp.resolve(err);
      throw err;
    }
  });
  await producer.flush();
  // Stream 1: read one value, then stop reading (its producer runs out of credit and waits).
  const stalled = consumer.requestStream('fc.iso' as Subject, { stall: true, count: 1_000_000 }, { timeoutMs: 5000, window: WINDOW, stallTimeoutMs: 60_000 })[Symbol.asyncIterator]();
  await stalled.next();
  // Stream 2 on the same two connections: 50 MB must complete while stream 1 sits stalled.
  let n = 0;
  for await (const _ of consumer.requestStream('fc.iso' as Subject, { stall: false, count: 800 }, { timeoutMs: 5000, window: WINDOW })) n++;
  t.equal(n, 800, 'the other stream completed');
  t.ok(stalledWriter !== undefined && !stalledWriter.signal.aborted, 'stream 1 still waiting for credit, not failed');
  t.ok(stalledWriter!.bufferedBytes <= (WINDOW + 1) * producer.frameBytes, `stream 1 buffered at most its window (${stalledWriter!.bufferedBytes})`);
  await stalled.return!();
  t.ok(await stalledGaveUp.promise instanceof CancelledError, 'cancelling stream 1 frees its producer');
  t.equal((await srv.monitor('varz')).slow_consumers, 0);
});
