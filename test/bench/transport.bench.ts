// Transport benchmark over a private nats-server: request/reply round trip (p50/p99) of
// NatsTransport against raw nats.js request, and streamed throughput (credit-based flow control)
// against raw nats.js publish of the same 64 KiB payloads, both measured in this run.
import { connect, type NatsConnection } from 'nats';
import { startNats } from '../harness/nats.js';
import { NatsTransport } from '../../runtime/transport/nats-transport.js';
import type { Subject } from '../../runtime/transport/transport.js';

const RTT_N = 3000;
const VALUE = 64 * 1024;
const STREAM_VALUES = 800; // 50 MiB per run
const ROUNDS = 7;
const SMALL = 1024;
const SMALL_VALUES = 40_000; // 39 MiB of 1 KiB values
const RAW_BATCH = 64;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function rtt(fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 300; i++) await fn(); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < RTT_N; i++) {
    const t0 = performance.now();
    await fn();
    xs.push((performance.now() - t0) * 1000);
  }
  xs.sort((a, b) => a - b);
  return { p50: pct(xs, 0.5), p99: pct(xs, 0.99) };
}

/** Raw nats.js: publish 64 KiB messages; every RAW_BATCH messages wait until the subscriber has them. */
async function rawThroughput(pub: NatsConnection, sub: NatsConnection, size = VALUE, total = STREAM_VALUES, batch = RAW_BATCH): Promise<number> {
  let got = 0;
  let want = 0;
  let wake: (() => void) | undefined;
  const s = sub.subscribe('raw.tput', { callback: (_e, m) => { got += m.data.length > 0 ? 1 : 0; if (got >= want && wake) { const w = wake; wake = undefined; w(); } } });
  await sub.flush();
  const payload = new Uint8Array(size);
  const t0 = performance.now();
  for (let i = 0; i < total; i += batch) {
    want = Math.min(total, i + batch);
    const done = new Promise<void>((r) => { wake = r; });
    for (let k = i; k < want; k++) pub.publish('raw.tput', payload);
    if (got < want) await done; else wake = undefined;
  }
  const s_ = (performance.now() - t0) / 1000;
  s.unsubscribe();
  return (total * size) / s_ / 2 ** 20;
}

async function streamThroughput(consumer: NatsTransport, window: number, size = VALUE, total = STREAM_VALUES): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const v of consumer.requestStream('bench.stream' as Subject, { size, total }, { timeoutMs: 10_000, window })) n += (v as Uint8Array).length;
  if (n !== total * size) throw new Error(`stream delivered ${n} bytes`);
  return n / ((performance.now() - t0) / 1000) / 2 ** 20;
}

const srv = await startNats();
try {
  const [ra, rb] = [await connect({ servers: srv.url }), await connect({ servers: srv.url })];
  const [ta, tb] = [await NatsTransport.connect({ servers: [srv.url] }), await NatsTransport.connect({ servers: [srv.url] })];
  rb.subscribe('raw.echo', { callback: (_e, m) => m.respond(m.data) });
  await rb.flush();
  tb.handle('bench.echo' as Subject, async (req) => req);
  tb.handleStream('bench.stream' as Subject, async (req, out) => {
    const { size, total } = req as { size: number; total: number };
    const payload = new Uint8Array(size);
    for (let i = 0; i < total; i++) await out.write(payload);
  });
  await tb.flush();

  const small = new TextEncoder().encode(JSON.stringify({ i: 1, what: 'ping' }));
  const rawRtt = await rtt(() => ra.request('raw.echo', small, { timeout: 5000 }));
  const ourRtt = await rtt(() => ta.request('bench.echo' as Subject, { i: 1, what: 'ping' }, { timeoutMs: 5000 }));

  // Interleave rounds so raw and streamed runs see the same machine conditions; report medians,
  // and the median of the per-round ratios (robust to load drifting between rounds).
  const raws: number[] = [], w16: number[] = [], w64: number[] = [], rawSmall: number[] = [], small16: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    raws.push(await rawThroughput(ra, rb));
    w16.push(await streamThroughput(ta, 16));
    w64.push(await streamThroughput(ta, 64));
    rawSmall.push(await rawThroughput(ra, rb, SMALL, SMALL_VALUES, 1024));
    small16.push(await streamThroughput(ta, 16, SMALL, SMALL_VALUES));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const raw = median(raws), s16 = median(w16), s64 = median(w64);
  const r16 = median(w16.map((x, i) => x / raws[i]!)), r64 = median(w64.map((x, i) => x / raws[i]!));
  const rs = median(small16.map((x, i) => x / rawSmall[i]!));
  const f = (x: number, d = 0) => x.toFixed(d);
  process.stdout.write(`## Transport (NATS)

Request/reply round trip of \`NatsTransport.request\` (msgpack envelope, deadline, error mapping) against raw
nats.js \`request\`, sequential, ${RTT_N} calls each; streamed throughput of ${STREAM_VALUES} × 64 KiB values
through \`requestStream\` (credit window 16 and 64, 256 KiB frames) against raw nats.js \`publish\` of the same
payloads (synchronised every ${RAW_BATCH} messages so the subscriber is never overrun), one private nats-server.
${ROUNDS} interleaved rounds; throughputs are medians, ratios the median of per-round ratios (the
machine is shared, so expect noise).

| measure | athanor transport | raw nats.js | ratio (athanor / raw) |
| --- | ---: | ---: | ---: |
| request RTT p50 (µs) | ${f(ourRtt.p50)} | ${f(rawRtt.p50)} | ${f(ourRtt.p50 / rawRtt.p50, 2)} |
| request RTT p99 (µs) | ${f(ourRtt.p99)} | ${f(rawRtt.p99)} | ${f(ourRtt.p99 / rawRtt.p99, 2)} |
| stream throughput, window 16 (MB/s) | ${f(s16)} | ${f(raw)} | ${f(r16, 2)} |
| stream throughput, window 64 (MB/s) | ${f(s64)} | ${f(raw)} | ${f(r64, 2)} |
| stream throughput, 1 KiB values, window 16 (MB/s) | ${f(median(small16))} | ${f(median(rawSmall))} | ${f(rs, 2)} |

Target: streamed throughput ≥ 0.7 × raw publish.
`);
  await Promise.all([ra.close(), rb.close(), ta.drain(), tb.drain()]);
} finally {
  await srv.stop();
}
