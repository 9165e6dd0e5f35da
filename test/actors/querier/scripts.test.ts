// Every public Prometheus 2.42 PromQL test script, with its data split over 3 in-process stores
// (each series cut into 3 time runs) and evaluated through StoreQueryable: all evals must pass.
import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { runScriptThroughQuerier } from './script-harness.js';

const dir = new URL('../../../../shared/promql-tests/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.test')).sort();
t.ok(files.length >= 7, `found ${files.length} scripts`);

for (const f of files) {
  t.test(f, async (t) => {
    const evals = await runScriptThroughQuerier(readFileSync(new URL(f, dir), 'utf8'), 3);
    t.ok(evals.length > 0, 'script has evals');
    const failed = evals.filter((e) => e.message !== undefined);
    t.same(failed, [], `${evals.length - failed.length}/${evals.length} evals pass with data over 3 stores`);
  });
}

t.test('the `store {labels} mint maxt` directive routes loads to stores with external labels', async (t) => {
  const script = `
store {zone="eu"} 0s 1h
load 1m
  metric{job="a"} 0+1x10

store {zone="us"} 0s 1h
load 1m
  metric{job="b"} 0+2x10

eval instant at 10m sum(metric)
  {} 30

eval instant at 10m metric{zone="eu"}
  metric{job="a", zone="eu"} 10

eval instant at 10m count by (zone) (metric)
  {zone="eu"} 1
  {zone="us"} 1
`;
  const evals = await runScriptThroughQuerier(script, 3);
  t.equal(evals.length, 3);
  t.same(evals.filter((e) => e.message !== undefined), []);
});
