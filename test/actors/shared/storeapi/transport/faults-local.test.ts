import t, { type Test } from 'tap';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import { StoreApiAbortedError } from '../../../../../actors/shared/storeapi/errors.js';
import { MemoryStore } from '../../../../../actors/shared/storeapi/memory-store.js';
import { labelNamesRequest, seriesRequest, type SeriesFrame } from '../../../../../actors/shared/storeapi/protocol.js';
import type { StoreAPI } from '../../../../../actors/shared/storeapi/storeapi.js';
import type { ServeStoreAPIOptions } from '../../../../../actors/shared/storeapi/server/serve.js';
import { LocalBus, LocalTransport } from '../../../../../runtime/transport/local-transport.js';
import { startClient, startServer, type ClientNode, type ServerNode, type StoreSetClientOptions } from './nodes.js';
import { SpyStore, bigSeries, untilAborted } from './spy-store.js';

const ALL = seriesRequest({ matchers: [{ type: '=~', name: '__name__', value: '.+' }] });
const FRAME_BYTES = 16 * 1024;
const WINDOW = 4;

interface Pair { server: ServerNode; client: ClientNode; store: StoreAPI; st: LocalTransport; ct: LocalTransport }

async function pair(
  t: Test, impl: StoreAPI, serve: Partial<ServeStoreAPIOptions> = {}, client: StoreSetClientOptions = {},
): Promise<Pair> {
  const bus = new LocalBus();
  const st = new LocalTransport({ bus, streamFrameBytes: FRAME_BYTES });
  const ct = new LocalTransport({ bus, streamFrameBytes: FRAME_BYTES });
  const server = await startServer(st, { component: 'store', id: 'spy', impl, ...serve });
  const c = startClient(ct, { responseTimeoutMs: 10_000, window: WINDOW, ...client });
  const ref = await c.store('store/spy');
  t.teardown(async () => { await c.stop(); await server.stop(); await ct.close(); await st.close(); });
  return { server, client: c, store: ref.client, st, ct };
}

async function collect(s: StoreAPI, signal = new AbortController().signal): Promise<SeriesFrame[]> {
  const out: SeriesFrame[] = [];
  for await (const f of s.series(ALL, signal)) out.push(f);
  return out;
}

const seriesCount = (fs: readonly SeriesFrame[]) => fs.reduce((n, f) => n + (f.kind === 'series' ? 1 : f.kind === 'batch' ? f.series.length : 0), 0);

t.test('a slow consumer holds the producer: frames are credit-bound, server buffering stays bounded', async (t) => {
  const N = 2000, BYTES = 1024;
  const spy = new SpyStore(async function* () { for (let i = 0; i < N; i++) yield { kind: 'series', series: bigSeries(i, BYTES) }; });
  const { store, server } = await pair(t, spy, { batchBytes: 8 * 1024 });
  const it = store.series(ALL, new AbortController().signal)[Symbol.asyncIterator]();
  t.equal((await it.next()).done, false, 'first frame arrives');
  // Give an unbounded producer every chance to run ahead; a credit-bound one cannot.
  await new Promise((r) => setTimeout(r, 300));
  const bound = (WINDOW + 1) * FRAME_BYTES;
  const producedWhileStalled = spy.last!.produced;
  t.ok(producedWhileStalled * BYTES <= bound + 2 * 8 * 1024, `producer stopped after ${producedWhileStalled} of ${N} series (≤ window + batch)`);
  t.ok(server.server.stats.maxBufferedBytes <= bound, `buffered ${server.server.stats.maxBufferedBytes} ≤ ${bound} bytes`);
  let n = 1;
  for (;;) { const r = await it.next(); if (r.done === true) break; n++; }
  t.equal(n, N, 'every series delivered once the consumer reads on');
  t.ok(server.server.stats.maxBufferedBytes <= bound, 'still bounded at the end');
});

t.test('cancellation mid-stream stops the implementation (break and abort)', async (t) => {
  const endless = async function* (signal: AbortSignal): AsyncGenerator<SeriesFrame> {
    for (let i = 0; !signal.aborted; i++) yield { kind: 'series', series: bigSeries(i, 512) };
  };
  const spy = new SpyStore(endless);
  const { store, server } = await pair(t, spy);
  let got = 0;
  for await (const _ of store.series(ALL, new AbortController().signal)) { if (++got === 10) break; }
  const byBreak = await spy.last!.ended;
  t.equal(byBreak.aborted, true, 'break → the implementation saw its signal aborted');
  const ac = new AbortController();
  const run = (async () => { for await (const _ of store.series(ALL, ac.signal)) ac.abort(); })();
  await t.rejects(run, { code: 'RT_CANCELLED' });
  t.equal((await spy.last!.ended).aborted, true, 'abort → the implementation saw its signal aborted');
  await t.resolves(server.server.refreshInfo(), 'server still serving');
});

t.test('a store that never answers: TimeoutError within the response timeout, the server is told to stop', async (t) => {
  const spy = new SpyStore(async function* (signal) { await untilAborted(signal); }, { hangLabels: true });
  const { store, client } = await pair(t, spy, {}, { responseTimeoutMs: 300 });
  await t.rejects(collect(store), { code: 'RT_TIMEOUT', retryable: true });
  t.equal((await spy.last!.ended).aborted, true, 'the implementation was cancelled');
  await t.rejects(store.labelNames(labelNamesRequest(), new AbortController().signal), { code: 'RT_TIMEOUT' });
  const ref = client.set.get('store/spy')!;
  t.equal(ref.health.healthy, false, 'marked unhealthy');
  t.ok(ref.health.consecutiveFailures >= 2);
});

t.test('seriesTimeoutMs: Series streams wait that long, other calls keep the response timeout', async (t) => {
  const spy = new SpyStore(async function* (signal) { await untilAborted(signal); }, { hangLabels: true });
  const { store } = await pair(t, spy, {}, { responseTimeoutMs: 200, seriesTimeoutMs: 900 });
  const t0 = Date.now();
  await t.rejects(collect(store), { code: 'RT_TIMEOUT' });
  t.ok(Date.now() - t0 >= 850, 'the stream used the series timeout, not the response timeout');
  const t1 = Date.now();
  await t.rejects(store.labelNames(labelNamesRequest(), new AbortController().signal), { code: 'RT_TIMEOUT' });
  t.ok(Date.now() - t1 < 850, 'label calls still time out after the response timeout');
});

t.test('a server that dies mid-stream fails the client (no hang)', async (t) => {
  const spy = new SpyStore(async function* (signal) {
    yield { kind: 'series', series: bigSeries(0, 10) };
    await untilAborted(signal);
  });
  const { store, st } = await pair(t, spy, {}, { responseTimeoutMs: 500 });
  const it = store.series(ALL, new AbortController().signal)[Symbol.asyncIterator]();
  t.equal((await it.next()).done, false, 'first frame');
  await st.close();
  const err = await it.next().then(() => undefined, (e: unknown) => e);
  t.match(err, { code: 'RT_TIMEOUT', retryable: true }, 'TimeoutError after the response timeout');
});

t.test('bounded concurrency: STOREAPI_OVERLOADED (retryable) when full, counted', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const spy = new SpyStore(async function* () { await gate; yield { kind: 'series', series: bigSeries(1, 10) }; });
  const { store, server } = await pair(t, spy, { maxConcurrentSeries: 1 });
  const first = collect(store);
  await new Promise<void>((resolve) => { const check = () => (spy.last ? void spy.last.started.then(resolve) : setImmediate(check)); check(); });
  await t.rejects(collect(store), { code: 'STOREAPI_OVERLOADED', retryable: true });
  release();
  t.equal(seriesCount(await first), 1, 'the admitted stream completes');
  t.equal(server.server.stats.seriesRejected, 1);
  const text = await server.metrics.metrics();
  t.match(text, /athanor_storeapi_series_rejected_total\{component="store"\} 1/);
  t.equal(seriesCount(await collect(store)), 1, 'serves again once a slot is free');
});

t.test('warnings and hints travel in-band, in place; series batches are flushed before them', async (t) => {
  const spy = new SpyStore(async function* () {
    yield { kind: 'series', series: bigSeries(1, 10) };
    yield { kind: 'series', series: bigSeries(2, 10) };
    yield { kind: 'warning', message: 'block 01ABC unreadable' };
    yield { kind: 'series', series: bigSeries(3, 10) };
    yield { kind: 'hints', hints: { queriedBlocks: ['01ABC'], queryStats: { blocksQueried: 1 } } };
  });
  const { store } = await pair(t, spy);
  const fs = await collect(store);
  t.same(fs.map((f) => f.kind), ['series', 'series', 'warning', 'series', 'hints']);
  t.same(fs[4], { kind: 'hints', hints: { queriedBlocks: ['01ABC'], queryStats: { blocksQueried: 1 } } });
});

t.test('errors: the implementation\'s error arrives as its class after the frames before it; unsorted streams are refused', async (t) => {
  const failing = new SpyStore(async function* () {
    yield { kind: 'series', series: bigSeries(1, 10) };
    throw new StoreApiAbortedError('reading block 01ABC: gone', { data: { store: 'x' } });
  });
  const { store } = await pair(t, failing);
  const seen: SeriesFrame[] = [];
  const run = async () => { for await (const f of store.series(ALL, new AbortController().signal)) seen.push(f); };
  await t.rejects(run(), StoreApiAbortedError);
  t.equal(seen.length, 1, 'the frame before the error was delivered');
  const unsorted = new SpyStore(async function* () {
    yield { kind: 'series', series: bigSeries(2, 10) };
    yield { kind: 'series', series: bigSeries(1, 10) };
  });
  const p2 = await pair(t, unsorted);
  await t.rejects(collect(p2.store), { code: 'STOREAPI_BAD_RESPONSE' });
});

t.test('the caller\'s deadline reaches the implementation as an abort', async (t) => {
  const spy = new SpyStore(async function* (signal) { await untilAborted(signal); });
  const { store } = await pair(t, spy, {}, { responseTimeoutMs: 10_000, seriesDeadlineMs: 200 });
  await t.rejects(collect(store), { code: 'RT_TIMEOUT' });
  const end = await spy.last!.ended;
  t.equal(end.aborted, true);
  t.match(end.reason, { code: 'RT_TIMEOUT' }, 'aborted by the deadline, not by the client');
});

t.test('StoreSet: Info follows the store (update re-announces), goodbye removes it, non-stores ignored', async (t) => {
  const mem = new MemoryStore({ externalLabels: labelsFromObject({ region: 'eu' }), series: [{ labels: labelsFromObject({ __name__: 'a' }), samples: [[1000, 1]] }] });
  const { client, server } = await pair(t, mem);
  t.same(client.set.get('store/spy')!.info.store?.maxTime, 1000);
  const updated = new Promise((r) => client.set.on((e) => { if (e.type === 'update') r(e.store.info.store?.maxTime); }));
  mem.update({ series: [{ labels: labelsFromObject({ __name__: 'a' }), samples: [[1000, 1], [9000, 2]] }] });
  t.equal(await updated, 9000, 'new time range announced');
  await server.host.announce({ component: 'compactor', id: 'c1', serves: {}, info: { kind: 'other' } });
  client.registry.probe();
  await client.registry.waitUntil((ps) => ps.some((p) => p.key === 'compactor/c1'));
  t.same(client.set.list().map((s) => s.key), ['store/spy'], 'a peer without the StoreAPI is not a store');
  const removed = new Promise((r) => client.set.on((e) => { if (e.type === 'remove') r(e.reason); }));
  await server.stop();
  t.equal(await removed, 'goodbye');
  t.same(client.set.list(), []);
});
