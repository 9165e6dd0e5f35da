// Blocks and dump against promtool 2.42: promtool's blocks dumped by us, our blocks dumped and analyzed
// by promtool, and our blocks compared with promtool's file by file.
import t, { type Test } from 'tap';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlocksFromOpenMetrics } from '../../../../../actors/shared/tsdb/block/backfill.js';
import { dumpSamples, formatDumpLabels } from '../../../../../actors/shared/tsdb/block/dump.js';
import { parseSeriesSelector, DEFAULT_SELECTOR } from '../../../../../actors/shared/tsdb/block/selector.js';
import { writeBlock } from '../../../../../actors/shared/tsdb/block/writer.js';
import { STALE_NAN } from '../../../../../actors/shared/tsdb/chunkenc/float-bits.js';
import { compareLabels, labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import { formatGoFloat } from '../../../../../actors/shared/promql/parser/literals.js';
import { createBlocksFromOpenMetrics as promtoolCreate, listBlocks, promtoolAnalyze, promtoolDump, type DumpOptions } from '../../../../harness/promtool.js';
import { generateSeries, writeOpenMetrics, type OpenMetricsGenOptions } from '../../../../harness/openmetrics-gen.js';

const root = await mkdtemp(join(tmpdir(), 'block-interop-'));
t.teardown(() => rm(root, { recursive: true, force: true }));

const GEN: OpenMetricsGenOptions = { series: 8, hours: 6, stepSec: 15, specials: true, seed: 3 };
const input = join(root, 'in.om');
writeOpenMetrics(input, GEN);
const promDir = join(root, 'promtool'), ourDir = join(root, 'ours');
await promtoolCreate(input, promDir);
const ourMetas = await createBlocksFromOpenMetrics(input, ourDir);
const start = 1699999200000, H = 3600_000;

async function ourDump(dir: string, opts: DumpOptions = {}): Promise<string> {
  let out = '';
  await dumpSamples(dir, {
    matchers: parseSeriesSelector(opts.match ?? DEFAULT_SELECTOR),
    ...(opts.minTime !== undefined ? { mint: opts.minTime } : {}),
    ...(opts.maxTime !== undefined ? { maxt: opts.maxTime } : {}),
  }, (s) => { out += s; });
  return out;
}

/** The dump promtool would print for the generated input: series sorted, every sample. */
function expectedDump(): string {
  const all = [...generateSeries(GEN)].map((s) => ({ labels: labelsFromObject(s.labels), samples: s.samples }));
  all.sort((a, b) => compareLabels(a.labels, b.labels));
  let out = '';
  for (const s of all) {
    const l = formatDumpLabels(s.labels);
    for (const x of s.samples) out += `${l} ${formatGoFloat(x.v)} ${x.t}\n`;
  }
  return out;
}

const CASES: DumpOptions[] = [
  {},
  { match: 'gen_requests_total' },
  { match: '{job=~"api|node"}' },
  { match: '{__name__=~"gen_request_duration_seconds_bucket", le!="+Inf"}' },
  { match: '{code=""}' },
  { match: '{job="special"}' },
  { match: '{job=~"(?i)API"}' },
  { match: '{job="nope"}' },
  { minTime: start + H + 7, maxTime: start + 4 * H + 3 },
  { match: '{job="node"}', minTime: start + 2 * H, maxTime: start + 2 * H },
  { minTime: start + 2 * H - 1, maxTime: start + 2 * H },
  { maxTime: start - 1 },
  { minTime: start + 100 * H },
];

t.test('promtool wrote several blocks', async (t) => {
  t.equal((await listBlocks(promDir)).length, 3);
  t.equal(ourMetas.length, 3);
});

t.test('a. our dump of promtool blocks equals promtool tsdb dump', async (t) => {
  for (const c of CASES) {
    const want = await promtoolDump(promDir, c);
    const got = await ourDump(promDir, c);
    t.ok(got === want, `identical output for ${JSON.stringify(c)} (${want.split('\n').length - 1} lines)`);
    if (got !== want) t.same(got.split('\n').slice(0, 20), want.split('\n').slice(0, 20));
  }
});

t.test('b. promtool reads our blocks: dump equals the input and promtool\'s own blocks', async (t) => {
  const want = expectedDump();
  const ours = await promtoolDump(ourDir);
  t.ok(ours === want, `promtool dump of our blocks = generated samples (${want.split('\n').length - 1} lines)`);
  t.ok(ours === await promtoolDump(promDir), 'promtool dump of our blocks = of promtool blocks');
  for (const c of CASES.slice(1, 4)) t.ok(await promtoolDump(ourDir, c) === await promtoolDump(promDir, c), `same for ${JSON.stringify(c)}`);
  for (const m of ourMetas) {
    const a = await promtoolAnalyze(ourDir, m.ulid);
    t.match(a, new RegExp(`Block ID: ${m.ulid}`), `promtool tsdb analyze ${m.ulid}`);
  }
});

async function files(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const n of (await readdir(join(dir, prefix))).sort()) {
    const rel = prefix ? `${prefix}/${n}` : n;
    if ((await stat(join(dir, rel))).isDirectory()) out.push(...await files(dir, rel)); else out.push(rel);
  }
  return out;
}

async function compareBlocks(t: Test, pDir: string, oDir: string): Promise<void> {
  const p = await listBlocks(pDir), o = await listBlocks(oDir);
  t.equal(o.length, p.length, 'same number of blocks');
  let pBytes = 0, oBytes = 0, samples = 0;
  for (let i = 0; i < p.length; i++) {
    const pb = join(pDir, p[i]!), ob = join(oDir, o[i]!);
    const fl = await files(pb);
    t.same(await files(ob), fl, 'same file names');
    for (const f of fl) {
      const a = await readFile(join(pb, f)), b = await readFile(join(ob, f));
      pBytes += a.length; oBytes += b.length;
      if (f === 'meta.json') {
        t.equal(b.toString().replaceAll(o[i]!, 'X'), a.toString().replaceAll(p[i]!, 'X'), `meta.json equal but for the ULID (block ${i})`);
        samples += (JSON.parse(a.toString()) as { stats: { numSamples: number } }).stats.numSamples;
      } else {
        t.ok(a.equals(b), `${f} byte-identical (block ${i}, ${a.length} bytes)`);
      }
    }
  }
  t.equal(oBytes / samples, pBytes / samples, `bytes/sample equal (${(pBytes / samples).toFixed(3)})`);
}

t.test('b. our blocks are byte-identical to promtool\'s (chunks, index, tombstones)', async (t) => {
  await compareBlocks(t, promDir, ourDir);
});

t.test('over the buffering budget (one pass per window) the blocks are the same', async (t) => {
  const d = join(root, 'budget');
  const metas = await createBlocksFromOpenMetrics(input, d, { maxBufferedSamples: 1000 });
  t.equal(metas.length, 3);
  await compareBlocks(t, promDir, d);
});

t.test('irregular timestamps (jitter, 7 s step) give the same chunks as promtool', async (t) => {
  const o: OpenMetricsGenOptions = { series: 4, hours: 5, stepSec: 7, jitterMs: 900, seed: 11, startSec: 1700003000 };
  const f = join(root, 'jitter.om');
  writeOpenMetrics(f, o);
  const p = join(root, 'jp'), q = join(root, 'jq');
  await promtoolCreate(f, p);
  await createBlocksFromOpenMetrics(f, q);
  await compareBlocks(t, p, q);
  t.ok(await ourDump(p) === await promtoolDump(p), 'dump equal');
});

t.test('stale markers, NaN, ±Inf, -0 and extreme values print as promtool prints them', async (t) => {
  const dir = join(root, 'stale');
  const vs = Float64Array.from([1, STALE_NAN, NaN, Infinity, -Infinity, -0, 0, 1e21, 1e-7, 123456.7, 1234567, 5e-324, 0.1 + 0.2, -1.5e300, 2]);
  const ts = Float64Array.from(vs, (_, i) => start + i * 1000);
  await writeBlock(dir, [
    { labels: labelsFromObject({ __name__: 'm', a: 'x\u0001\u00a0\u2028"\\y' }), ts, vs },
    { labels: labelsFromObject({ __name__: 'm', a: 'é😀\t' }), ts: ts.subarray(0, 3), vs: vs.subarray(0, 3) },
  ]);
  const want = await promtoolDump(dir);
  t.ok(await ourDump(dir) === want, 'identical dump');
  t.equal(want.split('\n').filter((l) => l.includes(' NaN ')).length, 4, 'stale marker and NaN lines (2 per series)');
});
