// Test fixtures for the index tests: a seeded OpenMetrics generator and promtool helpers.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seededRandom } from '../../../../../runtime/random.js';

/** Deterministic PRNG (mulberry32). */
export const rng = seededRandom;

export const PROMTOOL = '/usr/bin/promtool';
const run = promisify(execFile);


function omEscape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Values chosen to exercise UTF-8 byte order (U+FF01 sorts before U+1F600 in UTF-8, not in UTF-16). */
const PATHS = ['/', '/api', '/ü', '/日本', '/\uff01', '/😀', '/a"b\\c', '/x y'];
const JOBS = ['api', 'db', 'wéb'];
const ENVS = ['prod', 'dev', undefined];

export interface GenOptions {
  readonly series: number;
  /** Samples per series. */
  readonly samples: number;
  readonly stepSec: number;
  readonly startSec?: number;
  readonly seed?: number;
}

/** OpenMetrics text with `series` series over a few metric names and optional labels. */
export function genOpenMetrics(o: GenOptions): string {
  const r = rng(o.seed ?? 1);
  const start = o.startSec ?? 1_700_000_000 - (1_700_000_000 % 7200);
  const names = ['http_requests_total', 'temp_celsius', 'up'];
  const byName = new Map<string, string[]>();
  for (let i = 0; i < o.series; i++) {
    const name = names[i % names.length]!;
    const parts = [`instance="host-${i % 17}:9100"`, `job="${omEscape(JOBS[i % JOBS.length]!)}"`];
    const env = ENVS[Math.floor(i / 3) % ENVS.length];
    if (env !== undefined) parts.push(`env="${env}"`);
    if (name === 'http_requests_total') parts.push(`path="${omEscape(PATHS[i % PATHS.length]!)}"`);
    parts.push(`sid="${i}"`);
    const head = `${name}{${parts.join(',')}}`;
    const lines: string[] = [];
    let v = Math.floor(r() * 100);
    for (let s = 0; s < o.samples; s++) {
      v = name === 'http_requests_total' ? v + Math.floor(r() * 10) : Math.round(r() * 1000) / 10;
      lines.push(`${head} ${v} ${start + s * o.stepSec}`);
    }
    const list = byName.get(name) ?? [];
    list.push(lines.join('\n'));
    byName.set(name, list);
  }
  let out = '';
  for (const [, list] of byName) out += list.join('\n') + '\n';
  return out + '# EOF\n';
}

/**
 * Runs promtool create-blocks-from openmetrics; returns the output dir, the block dirs and a
 * `cleanup` that removes everything (call it from `t.teardown`).
 */
export async function promtoolBlocks(om: string): Promise<{ dir: string; blocks: string[]; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'athanor-index-'));
  const input = join(dir, 'input.om');
  await writeFile(input, om);
  const out = join(dir, 'data');
  await run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', input, out], { maxBuffer: 64 << 20 });
  await mkdir(join(out, 'wal'), { recursive: true }); // promtool tsdb dump opens the dir as a DB
  const blocks = (await readdir(out)).filter((f) => /^[0-9A-Z]{26}$/.test(f)).sort().map((b) => join(out, b));
  return { dir: out, blocks, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The distinct label sets (as printed) `promtool tsdb dump --match=<sel>` returns. */
export async function promtoolDumpSeries(dataDir: string, selector: string): Promise<Set<string>> {
  const { stdout } = await run(PROMTOOL, ['tsdb', 'dump', `--match=${selector}`, dataDir], { maxBuffer: 256 << 20 });
  const out = new Set<string>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const a = line.lastIndexOf(' ');
    const b = line.lastIndexOf(' ', a - 1);
    out.add(line.slice(0, b));
  }
  return out;
}
