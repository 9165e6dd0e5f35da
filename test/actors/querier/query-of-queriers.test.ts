// Query-of-queriers: a global querier over two regional queriers (ProxyStore served through the
// in-process adapter with a codec hop) answers as one querier over all leaf stores; loops are refused.
import t from 'tap';
import { ProxyStore } from '../../../actors/querier/proxy-store.js';
import { StoreQueryable, type StoreEndpoint } from '../../../actors/querier/store-queryable.js';
import { hintsWithHops } from '../../../actors/querier/hops.js';
import { Engine } from '../../../actors/shared/promql/engine/engine.js';
import { inProcessStoreAPI } from '../../../actors/shared/storeapi/in-process.js';
import { seriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import { memEndpoint, samples } from './helpers.js';
import { Matcher } from '../../../actors/shared/labels/matcher.js';

const H = 3600_000;

async function leaves(): Promise<StoreEndpoint[]> {
  const series = (off: number, gaps: [number, number][]) => [
    { labels: { __name__: 'up', job: 'api' }, samples: samples(0, H, 15_000, (t) => t / 1000 + off, gaps) },
    { labels: { __name__: 'up', job: 'db' }, samples: samples(0, H, 30_000, (t) => (t / 1000) % 77, gaps) },
  ];
  return [
    await memEndpoint('eu-a', { region: 'eu', replica: 'a' }, series(100, [[600_000, 1_200_000]])),
    await memEndpoint('eu-b', { region: 'eu', replica: 'b' }, series(50, [[2_000_000, 2_400_000]])),
    await memEndpoint('us-a', { region: 'us', replica: 'a' }, series(7, [])),
  ];
}

async function asEndpoint(name: string, p: ProxyStore): Promise<StoreEndpoint> {
  const client = inProcessStoreAPI(p, { wire: true });
  return { name, client, info: await client.info() };
}

const queries = ['up', 'rate(up[5m])', 'sum by (region) (rate(up[2m]))', 'max_over_time(up[10m])', 'count(up)'];

t.test('2-level query-of-queriers gives the same answers as 1 level', async (t) => {
  const leaf = await leaves();
  const eu = new ProxyStore({ id: 'q-eu', stores: () => leaf.slice(0, 2) });
  const us = new ProxyStore({ id: 'q-us', stores: () => leaf.slice(2) });
  const info = await eu.info();
  t.same(info.labelSets.map((l) => l.map((x) => x.value).join(',')), ['eu,a', 'eu,b'], 'Info: union of the children\'s label sets');
  t.equal(info.componentType, 'query');
  const mid = [await asEndpoint('q-eu', eu), await asEndpoint('q-us', us)];
  const engine = new Engine({});
  for (const dedup of [true, false]) {
    for (const q of queries) {
      const one = await engine.rangeQuery(new StoreQueryable({ stores: () => leaf, replicaLabels: ['replica'], dedup }), q, 0, H, 60_000);
      const two = await engine.rangeQuery(new StoreQueryable({ stores: () => mid, replicaLabels: ['replica'], dedup }), q, 0, H, 60_000);
      t.same(two.value, one.value, `${q} (dedup=${dedup})`);
    }
  }
});

t.test('loops are detected and refused with QUERIER_LOOP', async (t) => {
  const leaf = await leaves();
  const stores: StoreEndpoint[] = [leaf[0]!];
  const a = new ProxyStore({ id: 'q-a', stores: () => stores });
  const b = new ProxyStore({ id: 'q-b', stores: () => [{ name: 'q-a', client: a, info: { ...leaf[0]!.info, componentType: 'query' } }] });
  stores.push({ name: 'q-b', client: b, info: { ...leaf[0]!.info, componentType: 'query' } }); // a → b → a
  const direct = a.series(seriesRequest({ matchers: [{ type: '=', name: '__name__', value: 'up' }], hints: hintsWithHops(['q-x', 'q-a'])! }), new AbortController().signal);
  await t.rejects((async () => { for await (const _ of direct) { /* drain */ } })(), { code: 'QUERIER_LOOP', message: /already passed through querier q-a/ });
  const aInfo = await a.info();
  const q = new StoreQueryable({ stores: () => [{ name: 'q-a', client: a, info: aInfo }] });
  const got = await q.select([leafMatcher()], { startMs: 0, endMs: H });
  t.equal(got.length, 2, 'the leaf data still comes back');
  t.match(q.warnings.join('\n'), /already passed through querier q-a/, 'the cycle became a warning');
  const qa = new StoreQueryable({ stores: () => [{ name: 'q-a', client: a, info: aInfo }], partialResponse: 'ABORT' });
  await t.rejects(qa.select([leafMatcher()], { startMs: 0, endMs: H }), { code: 'STOREAPI_ABORTED' });
  await t.rejects(a.labelNames({ kind: 'storeapi.labelNames', start: 0, end: H, matchers: [], partialResponseStrategy: 'WARN', withoutReplicaLabels: [], limit: 0, hints: hintsWithHops(['q-a'])! }, new AbortController().signal), { code: 'QUERIER_LOOP' });
});

function leafMatcher(): Matcher { return new Matcher('=', '__name__', 'up'); }
