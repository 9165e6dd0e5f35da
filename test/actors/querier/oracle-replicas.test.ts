// The PromQL compliance queries through the querier against a real Prometheus 2.42: the demo data
// is spread over 2 stores (half the series each) and replicated (replica="a"/"b": 4 MemoryStores),
// deduplication on (penalty). Every query must agree exactly as the engine alone does (range mode).
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { StoreQueryable, type StoreEndpoint } from '../../../actors/querier/store-queryable.js';
import { labelsFromObject } from '../../../actors/shared/labels/labels.js';
import { Engine } from '../../../actors/shared/promql/engine/index.js';
import { MemoryStore } from '../../../actors/shared/storeapi/memory-store.js';
import type { Series } from '../../../actors/shared/storeapi/types.js';
import { encodeSeriesChunks } from '../../../actors/shared/tsdb/chunkenc/index.js';
import { createBlocksFromOpenMetrics } from '../../harness/promtool.js';
import { demoOpenMetrics, demoSeries, type DemoSeries } from '../../promql/demo-data.js';
import { compareQuery, startPrometheus } from '../../promql/oracle-harness.js';

const START = 1699999200;
const file = new URL('../../../../shared/compliance/expanded-queries.txt', import.meta.url);

function toSeries(s: DemoSeries): Series {
  const chunks = encodeSeriesChunks(s.ts, Float64Array.from(s.vs)).map((c) => ({ minTime: c.mint, maxTime: c.maxt, raw: { type: 'XOR' as const, data: c.data } }));
  return { labels: labelsFromObject(s.labels), chunks };
}

t.test('compliance queries through the querier (2 stores × 2 replicas, dedup) agree with prometheus 2.42', async (t) => {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const dir = await mkdtemp(join(tmpdir(), 'querier-oracle-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const series = demoSeries(START, 70);
  await writeFile(join(dir, 'demo.om'), demoOpenMetrics(series));
  await createBlocksFromOpenMetrics(join(dir, 'demo.om'), join(dir, 'blocks'));
  await cp(join(dir, 'blocks'), join(dir, 'data'), { recursive: true });
  const prom = await startPrometheus(dir, join(dir, 'data'));
  t.teardown(() => prom.stop());

  const halves = [series.filter((_, i) => i % 2 === 0).map(toSeries), series.filter((_, i) => i % 2 === 1).map(toSeries)];
  const eps: StoreEndpoint[] = [];
  for (const replica of ['a', 'b']) {
    for (const [h, data] of halves.entries()) {
      const client = new MemoryStore({ series: data, externalLabels: [{ name: 'replica', value: replica }] });
      eps.push({ name: `s${h}-${replica}`, client, info: await client.info() });
    }
  }
  const engine = new Engine();
  const range = { start: START + 20 * 60, end: START + 60 * 60, step: 10 };
  let agree = 0;
  for (const line of lines) {
    const [want, query] = line.split('\t') as [string, string];
    const q = new StoreQueryable({ stores: () => eps, replicaLabels: ['replica'] });
    const c = await compareQuery(prom, engine, q, query, { range }, 1e-5);
    const ok = want === 'FAIL' ? c.kind === 'both-failed' : c.kind === 'equal';
    if (ok) agree++;
    t.ok(ok, `${want} ${query}`, c.kind === 'differ' ? { why: c.why } : {});
    t.same(q.warnings, [], 'no warnings');
  }
  t.comment(`compliance through the querier: ${agree}/${lines.length} agree`);
});
