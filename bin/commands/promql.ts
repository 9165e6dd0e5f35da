import type { Command } from '../../runtime/cli/command.js';
import { ConfigError } from '../../runtime/errors/runtime-errors.js';
import { runTestScript } from '../../actors/shared/promql/engine/script/runner.js';

/**
 * `athanor tools promql test <file.test>…`: runs Prometheus 2.42 PromQL test scripts against the
 * engine (with 2.42's range-mode and `@` re-checks). Prints per-file and total pass/fail and every
 * failing eval; exit 0 only if every eval of every file passed. Unreadable or malformed files are
 * reported as typed errors (ScriptFileError / TestScriptError) and count as failures (exit 1).
 */
export const commands: Command[] = [{
  path: ['tools', 'promql', 'test'],
  summary: 'run PromQL test scripts (Prometheus 2.42 language) against the engine',
  args: '<file.test>...',
  flags: {},
  async run(_flags, files, io) {
    if (files.length === 0) throw new ConfigError('athanor tools promql test: at least one <file.test> is required');
    let passed = 0, failed = 0, broken = 0;
    for (const f of files) {
      try {
        const r = await runTestScript(f);
        passed += r.passed; failed += r.failed;
        io.stdout.write(`${r.failed === 0 ? 'PASS' : 'FAIL'} ${f}: ${r.passed}/${r.evals.length} evals passed\n`);
        for (const e of r.evals) if (!e.ok) io.stdout.write(`  line ${e.line}: ${e.expr}\n    ${e.message ?? ''}\n`);
      } catch (e) {
        broken++;
        const code = (e as { code?: unknown }).code;
        io.stdout.write(`ERROR ${f}: ${typeof code === 'string' ? `[${code}] ` : ''}${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    io.stdout.write(`total: ${passed} passed, ${failed} failed${broken > 0 ? `, ${broken} file(s) not run` : ''} (${files.length} file(s))\n`);
    return failed === 0 && broken === 0 ? 0 : 1;
  },
}];
