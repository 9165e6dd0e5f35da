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
import { parseRelabelConfigs, relabel } from '../../actors/shared/labels/relabel.js';
import { Engine } from '../../actors/shared/promql/engine/index.js';
import { BucketStore } from '../../actors/store/bucket-store.js';
import {
  EXTERNAL_LABELS, parseKnownFailures, runLayout, setupStoreOracle, withoutLabels, type StoreLayout,
} from './store-oracle-runner.js';

const KNOWN = new URL('./store-oracle-known-failures.txt', import.meta.url);
const flag = (ms: number, name: string) => parseTimeFlag(new Date(ms).toISOString(), name);
/**
 * Shard n of 2 by hashmod over `<salt>/<__block_id>`. Block ULIDs are random per run, so the salt
 * is chosen (pickSalt) such that both shards get blocks — an unsalted hashmod would put all 3
 * blocks in one shard one run in four.
 */
const shard = (n: number, salt: number) => parseRelabelConfigs(`[
  {source_labels: [__block_id], regex: "(.*)", replacement: "${salt}/$1", target_label: h, action: replace},
  {source_labels: [h], modulus: 2, target_label: s, action: hashmod},
  {source_labels: [s], regex: "${n}", action: keep}]`);
const keeps = (id: string, n: number, salt: number) =>
  relabel([...Object.entries(EXTERNAL_LABELS), ['__block_id', id]].map(([name, value]) => ({ name: name!, value: value! })).sort((a, b) => (a.name < b.name ? -1 : 1)), shard(n, salt)) !== undefined;
const pickSalt = (ids: readonly string[]): number => {
  for (let salt = 0; salt < 64; salt++) if (ids.some((id) => keeps(id, 0, salt)) && ids.some((id) => keeps(id, 1, salt))) return salt;
  throw new Error('finding a hashmod salt that splits the blocks over 2 shards');
};

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

  const salt = pickSalt(fx.blockIds);
  const layouts: StoreLayout[] = [
    { name: 'one-store', stores: [{}] },
    {
      name: 'time-partitioned-3',
      stores: ranges.map(([lo, hi], i) => ({
        ...(i > 0 ? { minTime: flag(lo, 'min-time') } : {}),
        ...(i < ranges.length - 1 ? { maxTime: flag(hi - 1, 'max-time') } : {}),
      })),
    },
    { name: 'hashmod-2', stores: [0, 1].map((n) => ({ relabel: shard(n, salt) })) },
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
  // The check is not vacuous: a layout that misses the middle block disagrees on many queries.
  const sample = fx.queries.filter((q) => q.expect === 'OK').slice(0, 60);
  const broken = await runLayout(fx, { name: 'missing-middle-block', stores: [
    { maxTime: flag(ranges[0]![1] - 1, 'max-time') }, { minTime: flag(ranges[2]![0], 'min-time') },
  ] }, { queries: sample });
  t.comment(`missing-middle-block (control): ${broken.passed}/${broken.total} agree`);
  t.ok(broken.total - broken.passed >= sample.length / 3, `a store layout missing a block is caught (${broken.total - broken.passed}/${broken.total} differ)`);

  for (const name of known.keys()) t.ok(layouts.some((l) => l.name === name), `known-failures layout ${name} exists`);
});
