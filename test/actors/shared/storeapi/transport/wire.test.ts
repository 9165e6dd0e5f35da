import t from 'tap';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import { MemoryStore } from '../../../../../actors/shared/storeapi/memory-store.js';
import { labelNamesRequest, seriesRequest } from '../../../../../actors/shared/storeapi/protocol.js';
import { SeriesPacker } from '../../../../../actors/shared/storeapi/server/series-packer.js';
import { parseAnnouncedSubjects, storeSubjects, announcedSubjects } from '../../../../../actors/shared/storeapi/server/wire.js';
import { StoreSet } from '../../../../../actors/shared/storeapi/client/store-set.js';
import { LocalBus, LocalTransport } from '../../../../../runtime/transport/local-transport.js';
import { startClient, startServer, subjects } from './nodes.js';
import { bigSeries } from './spy-store.js';

t.test('announced subjects: all four rpc subjects of this prefix with the right methods, or nothing', async (t) => {
  const s = storeSubjects(subjects, 'store', 'g1');
  const announced = announcedSubjects(s);
  t.same(parseAnnouncedSubjects(subjects, announced), s);
  t.equal(parseAnnouncedSubjects(subjects, { ...announced, 'storeapi.series': 'athanor.inbox.abc' }), undefined, 'an inbox is refused');
  t.equal(parseAnnouncedSubjects(subjects, { ...announced, 'storeapi.series': s.info }), undefined, 'wrong method is refused');
  t.equal(parseAnnouncedSubjects(subjects, { ...announced, 'storeapi.info': 'other.rpc.store.storeapi-info.g1' }), undefined, 'other prefix');
  const { 'storeapi.labelNames': _, ...partial } = announced;
  t.equal(parseAnnouncedSubjects(subjects, partial), undefined, 'missing method');
});

t.test('series packer: byte-bounded batches, order kept, an oversized series alone', async (t) => {
  const p = new SeriesPacker(4096);
  const frames = [];
  for (const n of [1000, 1000, 1000, 1000, 10_000, 500]) {
    const f = p.add(bigSeries(frames.length, n));
    if (f) frames.push(f);
  }
  const last = p.take();
  if (last) frames.push(last);
  t.same(frames.map((f) => (f.kind === 'batch' ? f.series.map((s) => s.chunks[0]!.raw!.data.byteLength) : [])), [[1000, 1000, 1000], [1000], [10_000], [500]]);
});

t.test('a malformed stream open or request is refused with STOREAPI_BAD_REQUEST and the server keeps serving', async (t) => {
  const bus = new LocalBus();
  const [st, ct] = [new LocalTransport({ bus }), new LocalTransport({ bus })];
  const mem = new MemoryStore({ series: [{ labels: labelsFromObject({ __name__: 'a' }), samples: [[1, 1]] }] });
  const node = await startServer(st, { component: 'store', id: 'w', impl: mem });
  t.teardown(async () => { await node.stop(); await ct.close(); await st.close(); });
  const drain = async (body: unknown) => { for await (const _ of ct.requestStream(node.server.subjects.series, body, { timeoutMs: 5000 })) { /* */ } };
  await t.rejects(drain({ kind: 'nope' }), { code: 'STOREAPI_BAD_REQUEST' });
  await t.rejects(drain({ kind: 'storeapi.series.open', deadlineMs: -1, request: seriesRequest({ matchers: [{ type: '=', name: 'a', value: 'b' }] }) }), { code: 'STOREAPI_BAD_REQUEST' });
  await t.rejects(drain({ kind: 'storeapi.series.open', deadlineMs: 0, request: { ...seriesRequest({ matchers: [] }), matchers: 'x' } }), { code: 'STOREAPI_BAD_REQUEST', data: { field: 'matchers' } });
  await t.rejects(ct.request(node.server.subjects.labelNames, { ...labelNamesRequest(), limit: -1 }, { timeoutMs: 5000 }), { code: 'STOREAPI_BAD_REQUEST' });
  const ok = await ct.request(node.server.subjects.labelNames, labelNamesRequest(), { timeoutMs: 5000 });
  t.match(ok, { names: ['__name__'] }, 'still serving');
});

t.test('StoreSet: exclude and component filters', async (t) => {
  const bus = new LocalBus();
  const [st, ct] = [new LocalTransport({ bus }), new LocalTransport({ bus })];
  const mem = () => new MemoryStore({ series: [] });
  const a = await startServer(st, { component: 'store', id: 'a', impl: mem() });
  const q = await startServer(st, { component: 'query', id: 'self', impl: mem() });
  const client = startClient(ct);
  t.teardown(async () => { await client.stop(); await a.stop(); await q.stop(); await ct.close(); await st.close(); });
  await client.store('query/self');
  await client.store('store/a');
  t.same(client.set.list().map((s) => s.key), ['query/self', 'store/a'], 'every store-like component by default');
  const only = new StoreSet({ registry: client.registry, transport: ct, subjects, exclude: (p) => p.key === 'query/self' });
  only.start();
  t.same(only.list().map((s) => s.key), ['store/a'], 'excluded self');
  const stores = new StoreSet({ registry: client.registry, transport: ct, subjects, components: ['query'] });
  stores.start();
  t.same(stores.list().map((s) => s.key), ['query/self'], 'component filter');
  only.stop(); stores.stop();
});
