// The PromQL oracle through the store path (see store-oracle-runner.ts): all 539 compliance queries
// as range queries through Engine → StoreQueryable → BucketStore(s) over promtool blocks in s3rver
// (uploaded with external labels), against one real Prometheus 2.42 on the same blocks, in three
// layouts: one store; 3 stores time-partitioned (--min-time/--max-time) one block each; 2 stores
// hashmod-sharded by relabel on __block_id. The failing set of each layout must be exactly what
// store-oracle-known-failures.txt lists for it.
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { StoreQueryable } from '../../actors/querier/store-queryable.js';
import { parseTimeFlag } from '../../actors/shared/block/time-flag.js';
import { parseRelabelConfigs } from '../../actors/shared/labels/relabel.js';
import { Engine } from '../../actors/shared/promql/engine/index.js';
import { BucketStore } from '../../actors/store/bucket-store.js';
import {
  EXTERNAL_LABELS, parseKnownFailures, runLayout, setupStoreOracle, withoutLabels, type StoreLayout,
} from './store-oracle-runner.js';

const KNOWN = new URL('./store-oracle-known-failures.txt', import.meta.url);
const flag = (ms: number, name: string) => parseTimeFlag(new Date(ms).toISOString(), name);
const shard = (n: number) => parseRelabelConfigs(
  `[{source_labels: [__block_id], modulus: 2, target_label: s, action: hashmod}, {source_labels: [s], regex: "${n}", action: keep}]`);

t.test('compliance queries through querier → store gateways equal prometheus 2.42 on the same blocks', async (t) => {
  const fx = await setupStoreOracle();
  t.teardown(() => fx.close());
  const known = parseKnownFailures(await readFile(KNOWN, 'utf8'));
  t.equal(fx.queries.length, 539, 'every line of expanded-queries.txt is asked');
  const ranges = [...fx.blockRanges.values()].sort((a, b) => a[0] - b[0]);
  t.equal(ranges.length, 3, 'promtool made 3 blocks (2 h, 2 h, 1 h)');

  // The raw answer carries the external labels (they are only stripped for the comparison).
  {
    const store = new BucketStore({ bucket: fx.bucket });
    t.teardown(() => store.close());
    await store.sync();
    const info = await store.info();
    const st = new StoreQueryable({ stores: () => [{ name: 'raw', client: store, info }], dedup: false });
    const r = await new Engine().rangeQuery(st, 'demo_num_cpus', ranges[0]![0] + 60_000, ranges[0]![0] + 120_000, 30_000);
    t.ok(r.value.type === 'matrix' && r.value.series.length === 3 && r.value.series.every((s) =>
      Object.entries(EXTERNAL_LABELS).every(([n, v]) => s.labels.some((l) => l.name === n && l.value === v))), 'external labels on every series');
    t.same(withoutLabels(r.value, new Set(Object.keys(EXTERNAL_LABELS))).type, 'matrix');
  }

  const layouts: StoreLayout[] = [
    { name: 'one-store', stores: [{}] },
    {
      name: 'time-partitioned-3',
      stores: ranges.map(([lo, hi], i) => ({
        ...(i > 0 ? { minTime: flag(lo, 'min-time') } : {}),
        ...(i < ranges.length - 1 ? { maxTime: flag(hi - 1, 'max-time') } : {}),
      })),
    },
    { name: 'hashmod-2', stores: [{ relabel: shard(0) }, { relabel: shard(1) }] },
  ];
  const expectedBlocks: Record<string, (b: readonly number[]) => boolean> = {
    'one-store': (b) => b[0] === 3,
    'time-partitioned-3': (b) => b.every((n) => n === 1),
    'hashmod-2': (b) => b[0]! + b[1]! === 3 && b[0]! > 0 && b[1]! > 0,
  };
  for (const layout of layouts) {
    const r = await runLayout(fx, layout, { concurrency: 4 });
    t.comment(`${r.name}: ${r.passed}/${r.total} agree with prometheus 2.42; blocks per store ${r.blocksPerStore.join('/')}; ${(r.elapsedMs / 1000).toFixed(1)} s`);
    for (const o of r.outcomes) if (!o.pass) t.comment(`FAILING\t${r.name}\t${o.expect}\t${o.query}\t${o.detail}`);
    t.ok(expectedBlocks[r.name]!(r.blocksPerStore), `${r.name}: blocks split as intended (${r.blocksPerStore.join('/')})`);
    t.equal(r.total, 539, `${r.name}: every query ran`);
    const listed = known.get(r.name) ?? new Set<string>();
    const failing = new Set(r.outcomes.filter((o) => !o.pass).map((o) => o.query));
    t.same(r.outcomes.filter((o) => !o.pass && !listed.has(o.query)).map((o) => `${o.expect} ${o.query}: ${o.detail}`), [],
      `${r.name}: no failure outside store-oracle-known-failures.txt`);
    t.same([...listed].filter((q) => !failing.has(q)), [], `${r.name}: every listed failure still fails (remove the ones that pass)`);
    t.same(r.warnings, [], `${r.name}: no store warnings`);
    t.ok(r.outcomes.filter((o) => o.pass && o.expect === 'OK' && o.series > 0).length > 400, `${r.name}: most queries return data`);
  }
  for (const name of known.keys()) t.ok(layouts.some((l) => l.name === name), `known-failures layout ${name} exists`);
});
