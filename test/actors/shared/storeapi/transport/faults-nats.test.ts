import t, { type Test } from 'tap';
import { seriesRequest, type SeriesFrame } from '../../../../../actors/shared/storeapi/protocol.js';
import type { StoreAPI } from '../../../../../actors/shared/storeapi/storeapi.js';
import { NatsTransport } from '../../../../../runtime/transport/nats-transport.js';
import { startNats, type NatsServer } from '../../../../harness/nats.js';
import { startClient, startServer, type StoreSetClientOptions } from './nodes.js';
import { SpyStore, bigSeries, untilAborted } from './spy-store.js';

const ALL = seriesRequest({ matchers: [{ type: '=~', name: '__name__', value: '.+' }] });
let nats: NatsServer;
t.before(async () => { nats = await startNats(); });
t.teardown(() => nats.stop());

async function pair(t: Test, impl: StoreAPI, client: StoreSetClientOptions = {}) {
  const st = await NatsTransport.connect({ servers: [nats.url], name: 'store' });
  const ct = await NatsTransport.connect({ servers: [nats.url], name: 'querier' });
  const server = await startServer(st, { component: 'store', id: 'spy', impl });
  const c = startClient(ct, { responseTimeoutMs: 10_000, ...client });
  const ref = await c.store('store/spy');
  t.teardown(async () => { await c.stop(); await server.stop().catch(() => undefined); await ct.close(); await st.close(); });
  return { store: ref.client, st, server };
}

async function collect(s: StoreAPI, signal = new AbortController().signal): Promise<SeriesFrame[]> {
  const out: SeriesFrame[] = [];
  for await (const f of s.series(ALL, signal)) out.push(f);
  return out;
}

t.test('nats: cancellation mid-stream stops the implementation', async (t) => {
  const spy = new SpyStore(async function* (signal) {
    for (let i = 0; !signal.aborted; i++) yield { kind: 'series', series: bigSeries(i, 512) };
  });
  const { store } = await pair(t, spy);
  let n = 0;
  for await (const _ of store.series(ALL, new AbortController().signal)) if (++n === 100) break;
  t.equal((await spy.last!.ended).aborted, true, 'the implementation saw the abort');
});

t.test('nats: a store that never answers → TimeoutError within the response timeout', async (t) => {
  const spy = new SpyStore(async function* (signal) { await untilAborted(signal); });
  const { store } = await pair(t, spy, { responseTimeoutMs: 400 });
  await t.rejects(collect(store), { code: 'RT_TIMEOUT' });
  t.equal((await spy.last!.ended).aborted, true, 'the server was told to stop');
});

t.test('nats: a server whose connection dies mid-stream → client error, not a hang', async (t) => {
  const spy = new SpyStore(async function* (signal) {
    yield { kind: 'series', series: bigSeries(0, 10) };
    await untilAborted(signal);
  });
  const { store, st } = await pair(t, spy, { responseTimeoutMs: 500 });
  const it = store.series(ALL, new AbortController().signal)[Symbol.asyncIterator]();
  t.equal((await it.next()).done, false, 'first frame');
  await st.close();
  const err = await it.next().then(() => undefined, (e: unknown) => e);
  t.match(err, { code: 'RT_TIMEOUT', retryable: true }, 'TimeoutError after the response timeout');
});

t.test('nats: a large stream (several MiB, values split across frames) arrives whole and in order', async (t) => {
  const N = 40, BYTES = 300 * 1024;
  const spy = new SpyStore(async function* () { for (let i = 0; i < N; i++) yield { kind: 'series', series: bigSeries(i, BYTES) }; });
  const { store } = await pair(t, spy);
  const got = (await collect(store)).flatMap((f) => (f.kind === 'series' ? [f.series] : []));
  t.equal(got.length, N);
  t.ok(got.every((s, i) => s.chunks[0]!.raw!.data.byteLength === BYTES && s.chunks[0]!.raw!.data[7] === (i & 0xff)), 'bytes intact');
});
