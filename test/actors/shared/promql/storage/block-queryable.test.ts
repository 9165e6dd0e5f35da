// BlockQueryable over promtool-backfilled blocks of the demo-shaped compliance data, checked
// against `promtool tsdb dump` (the real reader) on the same directory, whole range and a window
// crossing a block boundary; plus matcher selection, metadata and abort.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { labelsToObject } from '../../../../../actors/shared/labels/labels.js';
import { Matcher } from '../../../../../actors/shared/labels/matcher.js';
import { BlockQueryable } from '../../../../../actors/shared/promql/storage/block-queryable.js';
import type { SeriesData } from '../../../../../actors/shared/promql/storage/index.js';
import { formatDumpLabels } from '../../../../../actors/shared/tsdb/block/dump.js';
import { complianceFamilies, writeComplianceOpenMetrics } from '../../../../harness/compliance-data.js';
import { createBlocksFromOpenMetrics, parseDump, promtoolDump } from '../../../../harness/promtool.js';

const START = 1699999200_000;
const DATA = { hours: 5, jitterMs: 100 };

async function collect(st: BlockQueryable, ms: Matcher[], startMs: number, endMs: number): Promise<SeriesData[]> {
  const out: SeriesData[] = [];
  for await (const s of await st.select(ms, { startMs, endMs })) out.push(s);
  return out;
}

t.test('BlockQueryable agrees with promtool tsdb dump', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'block-queryable-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const stats = writeComplianceOpenMetrics(join(dir, 'data.om'), DATA);
  const blocks = await createBlocksFromOpenMetrics(join(dir, 'data.om'), join(dir, 'data'));
  t.equal(blocks.length, 3, 'three 2h-aligned blocks');
  const st = await BlockQueryable.open(join(dir, 'data'));
  t.teardown(() => st.close());
  t.equal(st.blockCount, 3);
  const pre_ = await BlockQueryable.open(join(dir, 'data'), { preload: true });
  t.teardown(() => pre_.close());
  t.equal(pre_.blockCount, 3);
  const all = [new Matcher('=~', '__name__', 'demo_.+')];

  for (const [mint, maxt] of [[stats.minT, stats.maxT], [START + 5400_000, START + 9000_000 + 7_000]] as const) {
    const want = new Map<string, { ts: number[]; vs: number[] }>();
    for (const d of parseDump(await promtoolDump(join(dir, 'data'), { match: '{__name__=~"demo_.+"}', minTime: mint, maxTime: maxt }))) {
      const e = want.get(d.labels) ?? { ts: [], vs: [] };
      e.ts.push(d.t); e.vs.push(d.v); want.set(d.labels, e);
    }
    const got = await collect(st, all, mint, maxt);
    t.equal(got.length, want.size, `[${mint}, ${maxt}]: same series count`);
    let mismatched = 0, samples = 0;
    for (const s of got) {
      const w = want.get(formatDumpLabels(s.labels));
      samples += s.ts.length;
      if (w === undefined || w.ts.length !== s.ts.length || w.ts.some((x, i) => x !== s.ts[i] || w.vs[i] !== s.vs[i])) mismatched++;
    }
    t.equal(mismatched, 0, `[${mint}, ${maxt}]: every series has promtool's samples`);
    t.equal(samples, [...want.values()].reduce((a, e) => a + e.ts.length, 0), 'same sample count');
    t.ok(got.every((s) => s.ts[0]! >= mint && s.ts[s.ts.length - 1]! <= maxt), 'trimmed to the window');
    const pre = await collect(pre_, all, mint, maxt);
    t.ok(pre.length === got.length && pre.every((s, i) => formatDumpLabels(s.labels) === formatDumpLabels(got[i]!.labels) &&
      s.ts.length === got[i]!.ts.length && s.ts.every((x, j) => x === got[i]!.ts[j] && Object.is(s.vs[j], got[i]!.vs[j]))), 'preloaded blocks give the same series');
  }
});

t.test('selection, metadata, gaps and abort', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'block-queryable-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  writeComplianceOpenMetrics(join(dir, 'data.om'), DATA);
  await createBlocksFromOpenMetrics(join(dir, 'data.om'), join(dir, 'data'));
  const st = await BlockQueryable.open(join(dir, 'data'));
  t.teardown(() => st.close());
  const end = START + 5 * 3600_000;

  const free = await collect(st, [new Matcher('=', '__name__', 'demo_memory_usage_bytes'), new Matcher('=', 'type', 'free')], START, end);
  t.same(free.map((s) => labelsToObject(s.labels).instance), ['demo.promlabs.com:10000', 'demo.promlabs.com:10001', 'demo.promlabs.com:10002'], 'sorted by labels');
  const gen = complianceFamilies(DATA).find((f) => f.family === 'demo_memory_usage_bytes')!.series.find((s) => s.labels.type === 'free')!;
  t.same(Array.from(free[0]!.vs), gen.vs, 'values are the generated ones');

  // The intermittent metric is absent for 10 min at a time: a window inside a gap selects nothing
  // for that instance, and its series are dropped rather than returned empty.
  const inter = complianceFamilies(DATA).find((f) => f.family === 'demo_intermittent_metric')!.series[0]!;
  const gapStart = inter.ts.find((x, i) => inter.ts[i + 1] !== undefined && inter.ts[i + 1]! - x > 60_000)!;
  const inGap = await collect(st, [new Matcher('=', '__name__', 'demo_intermittent_metric'), new Matcher('=', 'instance', 'demo.promlabs.com:10000')], gapStart + 60_000, gapStart + 120_000);
  t.same(inGap, [], 'no series inside a gap');

  t.same(await st.labelNames([], START, end), ['__name__', 'instance', 'job', 'le', 'method', 'mode', 'path', 'status', 'type']);
  t.same(await st.labelValues('mode', [], START, end), ['idle', 'iowait', 'system', 'user']);
  t.same(await st.labelNames([[new Matcher('=', '__name__', 'demo_num_cpus')]], START, end), ['__name__', 'instance', 'job']);
  t.same(await st.labelValues('type', [[new Matcher('=', 'instance', 'demo.promlabs.com:10001')]], START, end), ['buffers', 'cached', 'free', 'used']);
  t.equal((await st.series([[new Matcher('=', '__name__', 'demo_num_cpus')], [new Matcher('=', '__name__', 'demo_disk_usage_bytes')]], START, end)).length, 6);
  t.same(await collect(st, [new Matcher('=', '__name__', 'demo_num_cpus')], end + 3600_000, end + 7200_000), [], 'nothing after the data');

  const ac = new AbortController();
  ac.abort(new Error('stop'));
  await t.rejects(async () => st.select([new Matcher('=', '__name__', 'demo_num_cpus')], { startMs: START, endMs: end }, ac.signal), /stop/);
});

t.test('overlapping blocks are merged like promtool tsdb dump merges them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'block-queryable-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const om = (offsetMs: number, scale: number): string => {
    let out = '# TYPE demo_num_cpus gauge\n';
    for (const inst of ['a', 'b']) for (let k = 0; k < 240; k++) out += `demo_num_cpus{instance="${inst}"} ${k * scale} ${(START + k * 30_000 + offsetMs) / 1000}\n`;
    return out + '# EOF\n';
  };
  await writeFile(join(dir, 'a.om'), om(0, 1));
  await writeFile(join(dir, 'b.om'), om(15_000, 2));
  await createBlocksFromOpenMetrics(join(dir, 'a.om'), join(dir, 'data'));
  await createBlocksFromOpenMetrics(join(dir, 'b.om'), join(dir, 'data'));
  const st = await BlockQueryable.open(join(dir, 'data'));
  t.teardown(() => st.close());
  t.equal(st.blockCount, 2, 'two blocks over the same time range');
  const want = parseDump(await promtoolDump(join(dir, 'data'), { match: '{__name__="demo_num_cpus"}' }));
  const got = await collect(st, [new Matcher('=', '__name__', 'demo_num_cpus')], START, START + 7200_000);
  t.same(got.flatMap((s) => Array.from(s.ts, (x, i) => ({ labels: formatDumpLabels(s.labels), v: s.vs[i], t: x }))), want, 'interleaved samples, as promtool');
  t.equal(got[0]!.ts.length, 480);
});

t.test('corrupt chunk bytes reject with a typed error naming the file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'block-queryable-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  writeComplianceOpenMetrics(join(dir, 'data.om'), { hours: 1 });
  const [ulid] = await createBlocksFromOpenMetrics(join(dir, 'data.om'), join(dir, 'data'));
  const seg = join(dir, 'data', ulid!, 'chunks', (await readdir(join(dir, 'data', ulid!, 'chunks')))[0]!);
  const bytes = await readFile(seg);
  for (let i = 64; i < bytes.length; i += 97) bytes[i] = bytes[i]! ^ 0xff;
  await writeFile(seg, bytes);
  for (const preload of [false, true]) {
    const st = await BlockQueryable.open(join(dir, 'data'), { preload });
    await t.rejects(collect(st, [new Matcher('=~', '__name__', 'demo_.+')], START, START + 3600_000), { code: 'TSDB_CORRUPT', data: { file: /chunks/ } }, `preload=${preload}`);
    await st.close();
  }
});
