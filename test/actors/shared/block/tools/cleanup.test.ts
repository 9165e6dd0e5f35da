import t from 'tap';
import { MemoryBucket } from '../../../../../actors/shared/objstore/memory.js';
import { encodeMeta } from '../../../../../actors/shared/tsdb/meta/encode.js';
import { labelShardFilter } from '../../../../../actors/shared/block/filters.js';
import { parseRelabelConfigs } from '../../../../../actors/shared/labels/relabel.js';
import { markBlock } from '../../../../../actors/shared/block/markers.js';
import { PARTIAL_UPLOAD_THRESHOLD_MS, planCleanup, runCleanup } from '../../../../../actors/shared/block/tools/cleanup.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 10);
const COMPLETE = '01A00000000000000000000000', MARKED = '01B00000000000000000000000';
const PARTIAL_OLD = '01C00000000000000000000000', PARTIAL_NEW = '01D00000000000000000000000', PARTIAL_MARKED = '01E00000000000000000000000';

async function fixture() {
  let now = T0;
  const bkt = new MemoryBucket({ now: () => new Date(now) });
  const put = (name: string) => bkt.upload(name, new Uint8Array(4));
  for (const id of [COMPLETE, MARKED]) {
    await put(`${id}/index`);
    await bkt.upload(`${id}/meta.json`, new TextEncoder().encode(encodeMeta({ ulid: id, minTime: 0, maxTime: 1, version: 1, stats: {}, compaction: { level: 1 }, thanos: { labels: { a: '1' }, downsample: { resolution: 0 }, source: 'test' } })));
  }
  await markBlock(bkt, { kind: 'deletion', id: MARKED, version: 1, timeSec: T0 / 1000 });
  await put(`${PARTIAL_OLD}/chunks/000001`);
  await markBlock(bkt, { kind: 'deletion', id: PARTIAL_MARKED, version: 1, timeSec: T0 / 1000 });
  await put(`${PARTIAL_MARKED}/chunks/000001`);
  now = T0 + 10 * H;
  await put(`${PARTIAL_NEW}/chunks/000001`);
  await put(`${PARTIAL_OLD}/index`); // the newest object decides a partial block's age
  return bkt;
}

t.test('deletion marks wait for the delete delay; partial blocks for 48h after their newest object', async (t) => {
  const bkt = await fixture();
  const plan = (nowMs: number, deleteDelayMs = 48 * H) => planCleanup(bkt, { nowMs, deleteDelayMs }).then((p) => p.map((a) => `${a.reason}:${a.block}`));
  t.same(await plan(T0 + 47 * H), []);
  t.same(await plan(T0 + 49 * H), [`marked:${MARKED}`, `marked:${PARTIAL_MARKED}`]);
  t.same(await plan(T0 + 10 * H + PARTIAL_UPLOAD_THRESHOLD_MS + 1), [`marked:${MARKED}`, `marked:${PARTIAL_MARKED}`, `partial:${PARTIAL_OLD}`, `partial:${PARTIAL_NEW}`], 'the old block waits for its newest object');
  t.same(await plan(T0, 0), [`marked:${MARKED}`, `marked:${PARTIAL_MARKED}`], 'delay 0 deletes marks of this very second');
  const later = await planCleanup(bkt, { nowMs: T0 + 60 * H, deleteDelayMs: 48 * H, consistencyDelayMs: 100 * H });
  t.same(later.map((a) => a.block), [MARKED, PARTIAL_MARKED], 'a longer consistency delay protects partial blocks');
  t.equal(later[0]!.sinceMs, T0);
});

t.test('runCleanup deletes the planned blocks completely', async (t) => {
  const bkt = await fixture();
  const plan = await planCleanup(bkt, { nowMs: T0 + 100 * H, deleteDelayMs: 48 * H });
  const seen: string[] = [];
  await runCleanup(bkt, plan, (a) => seen.push(a.block));
  t.same(seen, [MARKED, PARTIAL_MARKED, PARTIAL_OLD, PARTIAL_NEW]);
  const left: string[] = [];
  for await (const n of bkt.iter('', { recursive: true })) left.push(n);
  t.same(left, [`${COMPLETE}/index`, `${COMPLETE}/meta.json`]);
});

t.test('meta filters (the selector relabel) keep complete blocks out; partial blocks still count', async (t) => {
  const bkt = await fixture();
  const filters = [labelShardFilter(parseRelabelConfigs('- action: drop\n  source_labels: [a]\n  regex: "1"\n'))];
  const plan = await planCleanup(bkt, { nowMs: T0 + 100 * H, deleteDelayMs: 48 * H, filters });
  t.same(plan.map((a) => a.block), [PARTIAL_MARKED, PARTIAL_OLD, PARTIAL_NEW]);
});
