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
import { parseRelabelConfigs, relabel } from '../../../actors/shared/labels/relabel.js';
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

  const loaded = new Map<string, number[]>(); // blocks loaded by each store of a setup
  const endpoints = async (name: string, opts: Partial<BucketStoreOptions>[]): Promise<StoreEndpoint[]> => Promise.all(opts.map(async (o, i) => {
    const store = new BucketStore({ bucket: bkt, ...o });
    t.teardown(() => store.close());
    const rep = await store.sync();
    t.ok(rep.failed.size === 0, `${name} #${i}: ${rep.loaded.length} blocks`);
    (loaded.get(name) ?? loaded.set(name, []).get(name)!)[i] = rep.loaded.length;
    return { name: `${name}-${i}`, client: store, info: await store.info() };
  }));
  // Shard n of 2 by hashmod over `<salt>/<__block_id>`: ULIDs are random per run, so an unsalted
  // hashmod puts all 3 blocks in one shard one run in four; the salt is the first that splits them.
  const shard = (n: number, salt: number) => parseRelabelConfigs(`[
    {source_labels: [__block_id], regex: "(.*)", replacement: "${salt}/$1", target_label: h, action: replace},
    {source_labels: [h], modulus: 2, target_label: s, action: hashmod}, {source_labels: [s], regex: "${n}", action: keep}]`);
  const inShard = (id: string, n: number, salt: number) => relabel([{ name: '__block_id', value: id }], shard(n, salt)) !== undefined;
  const salt = Array.from({ length: 64 }, (_, i) => i).find((s) => ids.some((id) => inShard(id, 0, s)) && ids.some((id) => inShard(id, 1, s)));
  if (salt === undefined) throw new Error('no hashmod salt splits the blocks over 2 shards');
  const setups: [string, StoreEndpoint[]][] = [
    ['one store', await endpoints('all', [{}])],
    ['3 time-partitioned stores', await endpoints('time', [
      { maxTime: parseTimeFlag(iso(START + 2 * H - 1), 'max-time') },
      { minTime: parseTimeFlag(iso(START + 2 * H), 'min-time'), maxTime: parseTimeFlag(iso(START + 4 * H - 1), 'max-time') },
      { minTime: parseTimeFlag(iso(START + 4 * H), 'min-time') },
    ])],
    ['2 hashmod shards', await endpoints('shard', [{ relabel: shard(0, salt) }, { relabel: shard(1, salt) }])],
  ];
  const shards = loaded.get('shard')!;
  t.ok(shards.length === 2 && shards.every((n) => n > 0) && shards[0]! + shards[1]! === ids.length,
    `both hashmod shards hold blocks, together all ${ids.length} once (${shards.join('/')})`);
  for (const [name, eps] of setups) {
    for (const q of QUERIES) {
      const st = new StoreQueryable({ stores: () => eps, dedup: false });
      const c = await compareQuery(prom, engine, st, q, { range: { start: START, end: START + 6 * H, step: 120 } }, 1e-9);
      t.ok(c.kind === 'equal' && c.series > 0, `${name}: ${q} → ${c.kind === 'equal' ? `${c.series} series equal` : c.kind === 'differ' ? c.why : c.error}`);
      t.same(st.warnings, [], `${name}: ${q}: no warnings`);
    }
  }
});
