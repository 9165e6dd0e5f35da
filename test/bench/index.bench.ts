// Index v2 benchmark: postings lookup (matchers/s) and series reads (series/s) on a 100k-series
// index, with `promtool tsdb dump --match` on the same promtool-made block as the same-run peer.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileSource, memorySource } from '../../actors/shared/tsdb/bytes/source.js';
import { IndexReader } from '../../actors/shared/tsdb/index/reader.js';
import { writeIndex, type SeriesInput } from '../../actors/shared/tsdb/index/writer.js';
import { compareLabels, labelsFromObject } from '../../actors/shared/labels/labels.js';
import type { MatcherSpec } from '../../actors/shared/labels/matcher.js';

const run = promisify(execFile);
const N_METRICS = 50, N_INSTANCES = 2000; // 100k series
const ENVS = ['prod', 'dev', 'staging', undefined];

function labelsOf(m: number, i: number): Record<string, string> {
  const o: Record<string, string> = { __name__: `m${m}`, instance: `host-${i}`, job: `job-${i % 10}` };
  const env = ENVS[(m + i) % 4];
  if (env !== undefined) o.env = env;
  return o;
}

const SELECTORS: [string, MatcherSpec[]][] = [
  ['{__name__="m7"}', [{ type: '=', name: '__name__', value: 'm7' }]],
  ['{__name__="m7",instance="host-42"}', [{ type: '=', name: '__name__', value: 'm7' }, { type: '=', name: 'instance', value: 'host-42' }]],
  ['{job=~"job-[1-3]",env!="prod"}', [{ type: '=~', name: 'job', value: 'job-[1-3]' }, { type: '!=', name: 'env', value: 'prod' }]],
  ['{__name__=~"m1.*",env=""}', [{ type: '=~', name: '__name__', value: 'm1.*' }, { type: '=', name: 'env', value: '' }]],
  ['{instance=~"host-1.*"}', [{ type: '=~', name: 'instance', value: 'host-1.*' }]],
];

async function timeLoop(minMs: number, fn: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) { await fn(); n++; }
  return n / ((performance.now() - start) / 1000);
}

async function wall(fn: () => Promise<unknown>, reps = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < reps; i++) { const s = performance.now(); await fn(); best = Math.min(best, performance.now() - s); }
  return best;
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'athanor-index-bench-'));
  try {
    // 1. Synthetic index written by our writer.
    const series: SeriesInput[] = [];
    for (let m = 0; m < N_METRICS; m++) for (let i = 0; i < N_INSTANCES; i++) {
      series.push({ labels: labelsFromObject(labelsOf(m, i)), chunks: [{ mint: 0, maxt: 60_000, ref: 8 + series.length * 40 }] });
    }
    series.sort((a, b) => compareLabels(a.labels, b.labels));
    let s = performance.now();
    const bytes = writeIndex(series);
    const writeMs = performance.now() - s;
    await writeFile(join(dir, 'index'), bytes);

    // 2. The same series through promtool (one sample each) for the peer.
    const om: string[] = [];
    for (let m = 0; m < N_METRICS; m++) for (let i = 0; i < N_INSTANCES; i++) {
      const o = labelsOf(m, i);
      const ls = Object.entries(o).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}="${v}"`).join(',');
      om.push(`${o.__name__}{${ls}} 1 1700000000`);
    }
    await writeFile(join(dir, 'in.om'), om.join('\n') + '\n# EOF\n');
    const data = join(dir, 'data');
    s = performance.now();
    await run('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', join(dir, 'in.om'), data], { maxBuffer: 64 << 20 });
    const promtoolCreateMs = performance.now() - s;
    await mkdir(join(data, 'wal'), { recursive: true });
    const block = (await readdir(data)).find((f) => /^[0-9A-Z]{26}$/.test(f))!;

    const ours = await IndexReader.open(await fileSource(join(dir, 'index')));
    s = performance.now();
    const theirs = await IndexReader.open(await fileSource(join(data, block, 'index')));
    const openMs = performance.now() - s;

    const rows: string[] = [];
    for (const [sel, ms] of SELECTORS) {
      const hits = (await ours.postingsForMatchers(ms)).length;
      const perSec = await timeLoop(400, () => ours.postingsForMatchers(ms));
      const ourEnd = await wall(async () => theirs.seriesMany(await theirs.postingsForMatchers(ms)));
      const dump = await wall(() => run('/usr/bin/promtool', ['tsdb', 'dump', `--match=${sel}`, data], { maxBuffer: 256 << 20 }));
      rows.push(`| \`${sel}\` | ${fmt(hits)} | ${fmt(perSec)} | ${fmt(ourEnd, 1)} | ${fmt(dump, 1)} | ${fmt(dump / ourEnd, 1)}× |`);
    }
    const empty = await wall(() => run('/usr/bin/promtool', ['tsdb', 'dump', '--match={__name__="none"}', data]));

    const all = await ours.allPostings();
    s = performance.now();
    for (const r of all) await ours.series(r);
    const seqPerSec = all.length / ((performance.now() - s) / 1000);
    s = performance.now();
    for (let i = 0; i < all.length; i += 256) await Promise.all([...all.subarray(i, i + 256)].map((r) => ours.series(r)));
    const parPerSec = all.length / ((performance.now() - s) / 1000);
    s = performance.now();
    await ours.seriesMany(all);
    const manyPerSec = all.length / ((performance.now() - s) / 1000);
    const mem = await IndexReader.open(memorySource(bytes, 'index'));
    await mem.seriesMany(all);
    s = performance.now();
    await mem.seriesMany(all);
    const memPerSec = all.length / ((performance.now() - s) / 1000);
    await ours.source.close(); await theirs.source.close();

    const out = [
      '## TSDB index v2: postings lookup and series reads (100k series)',
      '',
      `A ${fmt(bytes.length / 1024)} KiB index with ${fmt(series.length)} series (50 metric names × 2,000 instances, job, optional env), written by our writer in ${fmt(writeMs)} ms; read from a local file through \`fileSource\` (positional reads, no mmap). Peer: \`promtool tsdb dump --match=<selector>\` (Prometheus 2.42) on a block promtool built from the same series (1 sample each; built in ${fmt(promtoolCreateMs)} ms). The peer is a whole process run (start-up, DB open, postings, series, chunk decode, printing; an empty selector alone takes ${fmt(empty, 1)} ms), so the ratio is "promtool dump wall time ÷ our in-process postings + series read time on the same index file", not a like-for-like library comparison.`,
      '',
      '| selector | series | our postings lookups/s (our index) | our postings + \`seriesMany\`, ms (promtool\'s index) | promtool dump wall, ms | ratio promtool ÷ ours |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      '| series read | series/s |',
      '| --- | ---: |',
      `| sequential \`series(ref)\`, all ${fmt(all.length)} | ${fmt(seqPerSec)} |`,
      `| 256 concurrent \`series(ref)\` | ${fmt(parPerSec)} |`,
      `| \`seriesMany(allPostings)\` (coalesced range reads) | ${fmt(manyPerSec)} |`,
      `| \`seriesMany(allPostings)\` on a memorySource (decode only, no I/O) | ${fmt(memPerSec)} |`,
      `| open (header, TOC, symbols, postings table) of promtool's index | ${fmt(openMs, 1)} ms |`,
    ];
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
