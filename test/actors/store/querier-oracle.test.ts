// Queries through the querier (StoreQueryable + engine) over store gateways reading promtool-made
// blocks from s3rver equal a real Prometheus 2.42's answers on the same blocks — with one store,
// with the blocks split over 3 time-partitioned stores, and over 2 hashmod-sharded stores. The
// blocks go up without external labels (so answers carry Prometheus's labels) and the querier runs
// without deduplication: copies of a series from several stores are merged by time.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { StoreQueryable, type StoreEndpoint } from '../../../actors/querier/store-queryable.js';
import { parseTimeFlag } from '../../../actors/shared/block/time-flag.js';
import { parseRelabelConfigs } from '../../../actors/shared/labels/relabel.js';
import { createBucket } from '../../../actors/shared/objstore/factory.js';
import { Engine } from '../../../actors/shared/promql/engine/index.js';
import { BucketStore, type BucketStoreOptions } from '../../../actors/store/bucket-store.js';
import { openMetricsText } from '../../harness/openmetrics-gen.js';
import { createBlocksFromOpenMetrics } from '../../harness/promtool.js';
import { startS3rver } from '../../harness/s3rver.js';
import { putBlockDir } from './block-fixtures.js';
import { compareQuery, startPrometheus } from '../../promql/oracle-harness.js';

const START = 1699999200, H = 3600;
const iso = (sec: number) => new Date(sec * 1000).toISOString();
const QUERIES = [
  'gen_requests_total',
  'rate(gen_requests_total[5m])',
  'sum by (job, code) (increase(gen_requests_total[10m]))',
  'histogram_quantile(0.9, sum by (le) (rate(gen_request_duration_seconds_bucket[10m])))',
  'avg_over_time(gen_temperature_celsius[30m])',
  'max_over_time(gen_flaky_up[15m])',
  'count by (instance) (gen_rpc_duration_seconds)',
];

t.test('querier over store gateways equals prometheus on the same blocks', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-oracle-'));
  const s3 = await startS3rver(['blocks']);
  t.teardown(async () => { await s3.stop(); await rm(dir, { recursive: true, force: true }); });
  await writeFile(join(dir, 'in.om'), openMetricsText({ hours: 6, series: 3, seed: 11, startSec: START }));
  const ids = await createBlocksFromOpenMetrics(join(dir, 'in.om'), join(dir, 'blocks'));
  const bkt = createBucket({ type: 'S3', config: s3.config('blocks'), prefix: '' });
  t.teardown(() => bkt.close());
  for (const id of ids) await putBlockDir(bkt, join(dir, 'blocks', id), id);
  await cp(join(dir, 'blocks'), join(dir, 'data'), { recursive: true });
  const prom = await startPrometheus(dir, join(dir, 'data'));
  t.teardown(() => prom.stop());
  const engine = new Engine();

  const endpoints = async (name: string, opts: Partial<BucketStoreOptions>[]): Promise<StoreEndpoint[]> => Promise.all(opts.map(async (o, i) => {
    const store = new BucketStore({ bucket: bkt, ...o });
    t.teardown(() => store.close());
    const rep = await store.sync();
    t.ok(rep.failed.size === 0, `${name} #${i}: ${rep.loaded.length} blocks`);
    return { name: `${name}-${i}`, client: store, info: await store.info() };
  }));
  const shard = (n: number) => parseRelabelConfigs(`[{source_labels: [__block_id], modulus: 2, target_label: s, action: hashmod}, {source_labels: [s], regex: "${n}", action: keep}]`);
  const setups: [string, StoreEndpoint[]][] = [
    ['one store', await endpoints('all', [{}])],
    ['3 time-partitioned stores', await endpoints('time', [
      { maxTime: parseTimeFlag(iso(START + 2 * H - 1), 'max-time') },
      { minTime: parseTimeFlag(iso(START + 2 * H), 'min-time'), maxTime: parseTimeFlag(iso(START + 4 * H - 1), 'max-time') },
      { minTime: parseTimeFlag(iso(START + 4 * H), 'min-time') },
    ])],
    ['2 hashmod shards', await endpoints('shard', [{ relabel: shard(0) }, { relabel: shard(1) }])],
  ];
  for (const [name, eps] of setups) {
    for (const q of QUERIES) {
      const st = new StoreQueryable({ stores: () => eps, dedup: false });
      const c = await compareQuery(prom, engine, st, q, { range: { start: START, end: START + 6 * H, step: 120 } }, 1e-9);
      t.ok(c.kind === 'equal' && c.series > 0, `${name}: ${q} → ${c.kind === 'equal' ? `${c.series} series equal` : c.kind === 'differ' ? c.why : c.error}`);
      t.same(st.warnings, [], `${name}: ${q}: no warnings`);
    }
  }
});
