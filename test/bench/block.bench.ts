// Blocks written by `athanor tools tsdb create-blocks-from openmetrics` vs promtool 2.42 on the same
// generated OpenMetrics file: bytes per sample (must be within 1%; they are byte-identical) and
// write throughput (samples/s, our in-process backfill vs promtool's wall time as a process).
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlocksFromOpenMetrics } from '../../actors/shared/tsdb/block/backfill.js';
import { runPromtool } from '../harness/promtool.js';
import { writeOpenMetrics } from '../harness/openmetrics-gen.js';

const RUNS = 3;
const root = await mkdtemp(join(tmpdir(), 'block-bench-'));
try {
  const input = join(root, 'in.om');
  const gen = writeOpenMetrics(input, { series: 100, hours: 6, stepSec: 15, seed: 1 });

  async function dirBytes(dir: string): Promise<{ bytes: number; files: Map<string, Buffer> }> {
    const files = new Map<string, Buffer>();
    let bytes = 0;
    const walk = async (rel: string): Promise<void> => {
      for (const n of (await readdir(join(dir, rel))).sort()) {
        const r = rel ? `${rel}/${n}` : n;
        if ((await stat(join(dir, r))).isDirectory()) await walk(r);
        else { const b = await readFile(join(dir, r)); files.set(r, b); bytes += b.length; }
      }
    };
    await walk('');
    return { bytes, files };
  }

  const ours: number[] = [], theirs: number[] = [];
  let ourDir = '', promDir = '';
  for (let i = 0; i < RUNS; i++) {
    promDir = join(root, `p${i}`);
    let t0 = performance.now();
    await runPromtool(['tsdb', 'create-blocks-from', 'openmetrics', '-q', input, promDir]);
    theirs.push(performance.now() - t0);
    ourDir = join(root, `o${i}`);
    t0 = performance.now();
    await createBlocksFromOpenMetrics(input, ourDir);
    ours.push(performance.now() - t0);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

  const p = await dirBytes(promDir), o = await dirBytes(ourDir);
  // Compare block by block (ULIDs differ): files in the same order, names relative to the block.
  const strip = (m: Map<string, Buffer>) => [...m.entries()].map(([k, v]) => [k.slice(27), v] as const);
  const pf = strip(p.files), of = strip(o.files);
  let identical = 0, compared = 0;
  for (let i = 0; i < Math.min(pf.length, of.length); i++) {
    if (pf[i]![0] === 'meta.json') continue;
    compared++;
    if (pf[i]![0] === of[i]![0] && pf[i]![1].equals(of[i]![1])) identical++;
  }
  const tp = median(theirs), to = median(ours);
  const bpsP = p.bytes / gen.samples, bpsO = o.bytes / gen.samples;
  const rate = (ms: number) => `${((gen.samples / ms) * 1000 / 1e6).toFixed(2)} M`;
  const lines = [
    '## TSDB block writing (create-blocks-from openmetrics)',
    '',
    `${gen.series} series, ${gen.samples.toLocaleString('en-US')} samples (6 h at 15 s, ${(gen.bytes / 1e6).toFixed(1)} MB of OpenMetrics) → 3 blocks; ` +
      `median of ${RUNS} runs. Ours runs in-process; promtool 2.42 is timed as a process (wall time). ` +
      `Block files other than meta.json byte-identical: ${identical}/${compared}.`,
    '',
    '| writer | bytes on disk | bytes/sample | wall time | samples/s |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| promtool 2.42 (peer) | ${p.bytes} | ${bpsP.toFixed(4)} | ${tp.toFixed(0)} ms | ${rate(tp)} |`,
    `| athanor | ${o.bytes} | ${bpsO.toFixed(4)} | ${to.toFixed(0)} ms | ${rate(to)} |`,
    `| ratio athanor/promtool | | ${(bpsO / bpsP).toFixed(4)} | ${(to / tp).toFixed(2)}× time | ${(tp / to).toFixed(2)}× throughput |`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (Math.abs(bpsO / bpsP - 1) > 0.01) {
    process.stderr.write('bytes/sample differ by more than 1%\n');
    process.exitCode = 1;
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
