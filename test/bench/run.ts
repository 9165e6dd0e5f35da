// npm run bench [filter…]: runs every test/bench/*.bench.ts (or those whose name contains a filter)
// as its own process, so one benchmark's heap and threads never disturb another, and writes the
// markdown each prints into docs/benchmarks.md. Sections of benchmarks not run this time are kept
// from the previous file (each carries the date it was measured). Never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const out = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
const filters = process.argv.slice(2);
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
const files = all.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const today = new Date().toISOString().slice(0, 10);

/** Previous sections by file, from `<!-- bench:<file> -->` markers. */
function previousSections(): Map<string, string> {
  const m = new Map<string, string>();
  if (!existsSync(out)) return m;
  const parts = readFileSync(out, 'utf8').split(/^<!-- bench:(\S+) -->\n/m);
  for (let i = 1; i + 1 < parts.length; i += 2) m.set(parts[i]!, parts[i + 1]!.trimEnd() + '\n');
  return m;
}

const sections = previousSections();
let failed = 0;
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `${dir}${f}`], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 20 * 60_000, maxBuffer: 64 << 20,
  });
  const took = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0 || r.stdout.trim() === '') { failed++; sections.set(f, `## ${f}\n\n**failed** on ${today} (exit ${r.status ?? r.signal}${r.stdout.trim() === '' ? ', no output' : ''}).\n`); continue; }
  sections.set(f, `${r.stdout.trim()}\n\n_(${f}, measured ${today}, ${took} s)_\n`);
}
for (const k of [...sections.keys()]) if (!all.includes(k)) sections.delete(k);

const header = `# Benchmarks

Written by \`npm run bench\` (last run ${today} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB,
node ${process.version}). Every table compares athanor with a peer measured in the same run (raw NATS,
Prometheus 2.42 or promtool on the same data, inline vs pooled, direct vs cached); ratios are what to
watch, absolute numbers move with the machine and its load. Each section says when it was measured.
`;
const body = [...sections.keys()].sort().map((k) => `<!-- bench:${k} -->\n${sections.get(k)}`).join('\n');
writeFileSync(out, `${header}\n${body}`);
process.exitCode = failed ? 1 : 0;
