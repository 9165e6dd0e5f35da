// The PromQL compliance suite's expanded queries (../shared/compliance/expanded-queries.txt), run as
// range queries on a real Prometheus 2.42 and on our engine over the same demo-shaped data
// (promtool-backfilled blocks vs MemoryStorage). `OK` lines must agree (labels exact, values to
// 1e-5 relative, NaN = NaN); `FAIL` lines must fail on both. Each is also run as an instant query,
// where the result order must match too.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { labelsFromObject } from '../../actors/shared/labels/labels.js';
import { Engine } from '../../actors/shared/promql/engine/index.js';
import { MemoryStorage } from '../../actors/shared/promql/storage/index.js';
import { createBlocksFromOpenMetrics } from '../harness/promtool.js';
import { demoOpenMetrics, demoSeries } from './demo-data.js';
import { compareQuery, startPrometheus } from './oracle-harness.js';

const START = 1699999200;
const file = new URL('../../../shared/compliance/expanded-queries.txt', import.meta.url);

interface Prepared { dir: string; st: MemoryStorage; lines: string[] }
let prepared: Promise<Prepared> | undefined;
/** Blocks (promtool) and the same data in MemoryStorage, built once for both tests. */
function prepare(): Promise<Prepared> {
  prepared ??= (async () => {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    const dir = await mkdtemp(join(tmpdir(), 'promql-compliance-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const series = demoSeries(START, 70);
    await writeFile(join(dir, 'demo.om'), demoOpenMetrics(series));
    await createBlocksFromOpenMetrics(join(dir, 'demo.om'), join(dir, 'blocks'));
    const st = new MemoryStorage();
    for (const s of series) { const ls = labelsFromObject(s.labels); s.ts.forEach((ts, i) => st.append(ls, ts, s.vs[i]!)); }
    return { dir, st, lines };
  })();
  return prepared;
}

t.test('compliance queries agree with prometheus 2.42', async (t) => {
  const { dir, st, lines } = await prepare();
  await cp(join(dir, 'blocks'), join(dir, 'data'), { recursive: true });
  const prom = await startPrometheus(dir, join(dir, 'data'));
  t.teardown(() => prom.stop());
  const engine = new Engine();
  const range = { start: START + 20 * 60, end: START + 60 * 60, step: 10 };
  let agree = 0, nonEmpty = 0;
  for (const line of lines) {
    const [want, query] = line.split('\t') as [string, string];
    const c = await compareQuery(prom, engine, st, query, { range }, 1e-5);
    const ok = want === 'FAIL' ? c.kind === 'both-failed' : c.kind === 'equal';
    if (ok) agree++;
    if (c.kind === 'equal' && c.series > 0) nonEmpty++;
    t.ok(ok, `${want} ${query}`, c.kind === 'differ' ? { why: c.why } : c.kind === 'both-failed' && want === 'OK' ? { why: c.error } : {});
    // Extra: the same query as an instant query, including Prometheus's result order (except for
    // histogram_quantile, whose group order comes from a Go map in 2.42 and is random).
    const ordered = !query.includes('histogram_quantile');
    const ci = await compareQuery(prom, engine, st, query, { instant: START + 40 * 60 + 3.5 }, 1e-5, ordered);
    t.ok(want === 'FAIL' ? ci.kind === 'both-failed' : ci.kind === 'equal', `instant${ordered ? ' (ordered)' : ''}: ${want} ${query}`, ci.kind === 'differ' ? { why: ci.why } : {});
  }
  t.comment(`compliance: ${agree}/${lines.length} agree (${nonEmpty} with a non-empty result)`);
  t.ok(nonEmpty > lines.length / 2, 'most queries return data');
});

t.test('query.max-samples: the same queries fail on both under a low limit (2.42 sample accounting)', async (t) => {
  const { dir, st, lines: all } = await prepare();
  // Every second OK query keeps the test short; the full list agreed at limits 300/1500/3000/5000.
  const lines = all.filter((l) => l.startsWith('OK\t')).filter((_, i) => i % 2 === 0);
  await cp(join(dir, 'blocks'), join(dir, 'data-limited'), { recursive: true });
  const MAX = 1500;
  const prom = await startPrometheus(dir, join(dir, 'data-limited'), [`--query.max-samples=${MAX}`]);
  t.teardown(() => prom.stop());
  const engine = new Engine({ maxSamples: MAX });
  let failedBoth = 0;
  for (const line of lines) {
    const query = line.slice(3);
    for (const mode of [{ range: { start: START + 20 * 60, end: START + 60 * 60, step: 10 } }]) {
      const c = await compareQuery(prom, engine, st, query, mode, 1e-5);
      if (c.kind === 'both-failed') failedBoth++;
      t.not(c.kind, 'differ', `${'range' in mode ? 'range' : 'instant'} ${query}`, c.kind === 'differ' ? { why: c.why } : {});
    }
  }
  t.ok(failedBoth > 50, `${failedBoth} evaluations hit the limit on both sides`);
});
