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
