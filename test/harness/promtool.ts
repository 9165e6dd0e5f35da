/**
 * Runs the real promtool 2.42 (from apt) as a format oracle: backfill OpenMetrics into blocks, dump a
 * block directory's samples, analyze a block. `dump` opens its directory as a DB (it wants `wal/` and
 * creates `chunks_head/`), so it always runs on a temporary COPY with `wal/` added.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';

export interface RunResult { stdout: string; stderr: string; code: number }

/** Runs promtool with `args`; rejects when it exits non-zero unless `allowFail`. */
export function runPromtool(args: string[], allowFail = false): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(PROMTOOL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', (code) => {
      const r = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 };
      if (r.code !== 0 && !allowFail) reject(new Error(`promtool ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`));
      else resolve(r);
    });
  });
}

const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Lists block directories (ULID names) in a data dir, sorted. */
export async function listBlocks(dataDir: string): Promise<string[]> {
  const names = await readdir(dataDir);
  const out: string[] = [];
  for (const n of names.sort()) if (ULID_RE.test(n) && (await stat(join(dataDir, n))).isDirectory()) out.push(n);
  return out;
}

/** `promtool tsdb create-blocks-from openmetrics <input> <outDir>`; returns the block ULIDs created. */
export async function createBlocksFromOpenMetrics(input: string, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const before = new Set(await listBlocks(outDir));
  await runPromtool(['tsdb', 'create-blocks-from', 'openmetrics', '-q', input, outDir]);
  return (await listBlocks(outDir)).filter((b) => !before.has(b));
}

export interface DumpOptions { match?: string; minTime?: number; maxTime?: number }

/** `promtool tsdb dump` on a copy of `dataDir` (with `wal/` created); returns stdout. */
export async function promtoolDump(dataDir: string, opts: DumpOptions = {}): Promise<string> {
  const tmp = await mkdtemp(join(tmpdir(), 'promtool-dump-'));
  try {
    const copy = join(tmp, 'data');
    await cp(dataDir, copy, { recursive: true });
    await mkdir(join(copy, 'wal'), { recursive: true });
    const args = ['tsdb', 'dump'];
    if (opts.match !== undefined) args.push(`--match=${opts.match}`);
    if (opts.minTime !== undefined) args.push(`--min-time=${opts.minTime}`);
    if (opts.maxTime !== undefined) args.push(`--max-time=${opts.maxTime}`);
    args.push(copy);
    return (await runPromtool(args)).stdout;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** One `promtool tsdb dump` line: `{labels} value ts`, value printed with Go `%g`. */
export interface DumpSample { labels: string; v: number; t: number }

/** Parses one dump line (`+Inf`, `-Inf`, `NaN` handled); throws on anything else. */
export function parseDumpLine(line: string): DumpSample {
  const j = line.lastIndexOf(' ');
  const i = line.lastIndexOf(' ', j - 1);
  if (i < 0 || !line.startsWith('{')) throw new Error(`not a dump line: ${line}`);
  const vs = line.slice(i + 1, j);
  const v = vs === '+Inf' ? Infinity : vs === '-Inf' ? -Infinity : vs === 'NaN' ? NaN : Number(vs);
  return { labels: line.slice(0, i), v, t: Number(line.slice(j + 1)) };
}

/** Parses a whole dump output. */
export function parseDump(out: string): DumpSample[] {
  return out.split('\n').filter((l) => l !== '').map(parseDumpLine);
}

/** `promtool tsdb analyze <dataDir> [blockId]` (on a copy, like dump); returns stdout. */
export async function promtoolAnalyze(dataDir: string, blockId?: string): Promise<string> {
  const tmp = await mkdtemp(join(tmpdir(), 'promtool-analyze-'));
  try {
    const copy = join(tmp, 'data');
    await cp(dataDir, copy, { recursive: true });
    await mkdir(join(copy, 'wal'), { recursive: true });
    return (await runPromtool(blockId ? ['tsdb', 'analyze', copy, blockId] : ['tsdb', 'analyze', copy])).stdout;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
