// Runs every public Prometheus 2.42 PromQL test script against the engine, with the 2.42 harness's
// range-mode and `@` re-checks; each eval is one assertion. No expected-failure list: all must pass.
import { readdirSync } from 'node:fs';
import t from 'tap';
import { runTestScript } from '../../actors/shared/promql/engine/script/runner.js';

const dir = new URL('../../../shared/promql-tests/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.test')).sort();

t.ok(files.length >= 7, `found ${files.length} scripts in ${dir.pathname}`);

for (const f of files) {
  t.test(f, async (t) => {
    const r = await runTestScript(new URL(f, dir));
    t.ok(r.evals.length > 0, 'script has evals');
    for (const e of r.evals) t.ok(e.ok, `line ${e.line} ${e.mode === 'normal' ? 'eval' : `eval_${e.mode}`} ${e.expr}`, { message: e.message });
  });
}
