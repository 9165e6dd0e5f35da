// npm run bench [filter…]: runs every test/bench/*.bench.ts as its own process (so one benchmark's
// heap and threads never disturb another), collects the markdown each prints on stdout, and writes
// docs/benchmarks.md. Benchmarks are never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

const sections: string[] = [];
let failed = 0;
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `${dir}${f}`], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 20 * 60_000, maxBuffer: 64 << 20,
  });
  if (r.status !== 0) { failed++; sections.push(`## ${f}\n\n**failed** (exit ${r.status ?? r.signal}).\n`); continue; }
  sections.push(r.stdout.trim() + `\n\n_(${f}, ${((Date.now() - started) / 1000).toFixed(1)} s)_\n`);
}

const header = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'},
${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}. Every number compares athanor with a peer measured in the
same run (raw NATS, Prometheus 2.42 on the same data, inline vs pooled); ratios are what to watch, absolute
numbers move with the machine.
`;
if (filters.length === 0) writeFileSync(new URL('../../docs/benchmarks.md', import.meta.url), header + '\n' + sections.join('\n'));
else process.stdout.write(sections.join('\n') + '\n');
process.exitCode = failed ? 1 : 0;
