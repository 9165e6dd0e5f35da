import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/athanor.js', import.meta.url));

t.test('athanor --help lists commands and exits 0', async (t) => {
  const { stdout } = await run(process.execPath, [bin, '--help']);
  t.match(stdout, /usage: athanor <command>/);
  t.match(stdout, /version/);
});

t.test('unknown command exits 2 with a clear message', async (t) => {
  const err = await run(process.execPath, [bin, 'nope']).catch((e: { code: number; stderr: string }) => e);
  t.equal((err as { code: number }).code, 2);
  t.match((err as { stderr: string }).stderr, /unknown command "nope"/);
});

t.test('unknown flag exits 2 naming the flag', async (t) => {
  const err = await run(process.execPath, [bin, 'version', '--bogus']).catch((e: { code: number; stderr: string }) => e);
  t.equal((err as { code: number }).code, 2);
  t.match((err as { stderr: string }).stderr, /bogus/);
});
