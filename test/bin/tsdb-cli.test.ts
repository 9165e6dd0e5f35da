// `athanor tools tsdb …` as a process: create-blocks-from openmetrics and dump, against promtool.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createBlocksFromOpenMetrics as promtoolCreate, promtoolDump } from '../harness/promtool.js';
import { writeOpenMetrics } from '../harness/openmetrics-gen.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/athanor.js', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'tsdb-cli-'));
t.teardown(() => rm(root, { recursive: true, force: true }));

const input = join(root, 'in.om');
writeOpenMetrics(input, { series: 4, hours: 5, stepSec: 30, seed: 9 });
const promDir = join(root, 'promtool');
await promtoolCreate(input, promDir);

function athanor(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [bin, ...args], { maxBuffer: 64 << 20 });
}

t.test('create-blocks-from openmetrics writes 2h-aligned blocks and lists them', async (t) => {
  const out = join(root, 'ours');
  const { stdout } = await athanor(['tools', 'tsdb', 'create-blocks-from', 'openmetrics', input, out]);
  const blocks = (await readdir(out)).sort();
  t.equal(blocks.length, 3, '5 h starting on a 2 h boundary: 3 blocks');
  for (const b of blocks) t.match(stdout, b, `listed ${b}`);
  t.equal(await promtoolDump(out), await promtoolDump(promDir), 'promtool sees the same samples');
  const quiet = await athanor(['tools', 'tsdb', 'create-blocks-from', 'openmetrics', '-q', input, join(root, 'quiet')]);
  t.equal(quiet.stdout, '', '-q prints nothing');
});

t.test('dump equals promtool tsdb dump (default, --match, time limits)', async (t) => {
  const start = 1699999200000;
  for (const args of [[], ['--match=gen_requests_total'], [`--min-time=${start + 3600_000}`, `--max-time=${start + 9000_000}`]]) {
    const { stdout } = await athanor(['tools', 'tsdb', 'dump', ...args, promDir]);
    const [match, min, max] = [args.find((a) => a.startsWith('--match='))?.slice(8), args[0]?.startsWith('--min') ? Number(args[0].slice(11)) : undefined, args[1] ? Number(args[1].slice(11)) : undefined];
    const want = await promtoolDump(promDir, { ...(match ? { match } : {}), ...(min !== undefined ? { minTime: min } : {}), ...(max !== undefined ? { maxTime: max } : {}) });
    t.ok(stdout === want, `identical for ${args.join(' ') || 'defaults'} (${want.length} bytes)`);
  }
});

t.test('bad flags exit 2, damaged input exits 1 with the error code', async (t) => {
  const bad = await athanor(['tools', 'tsdb', 'dump', '--match={a=~"("}', promDir]).catch((e: { code: number; stderr: string }) => e);
  t.equal((bad as { code: number }).code, 2);
  t.match((bad as { stderr: string }).stderr, /--match/);
  const badTime = await athanor(['tools', 'tsdb', 'dump', '--min-time=abc', promDir]).catch((e: { code: number }) => e);
  t.equal((badTime as { code: number }).code, 2);
  const noFile = await athanor(['tools', 'tsdb', 'create-blocks-from', 'openmetrics', join(root, 'missing.om'), join(root, 'x')]).catch((e: { code: number }) => e);
  t.equal((noFile as { code: number }).code, 1);
});
