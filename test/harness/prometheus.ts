/**
 * Runs a real Prometheus 2.42 (from apt) on a COPY of a data directory, as an oracle for query
 * answers over blocks: free port, `--storage.tsdb.retention.time=100y` (so old backfilled blocks
 * are not deleted), 2 h block durations, no scrape targets; waits for `/-/ready`; query helpers;
 * `stop()` kills the process (by its pid) and removes the copy.
 *
 * Gotchas handled: Prometheus takes a lock, writes `wal/`, `chunks_head/`, `queries.active` and may
 * compact or delete blocks in its data dir, so it never runs on the caller's directory; blocks must
 * be in place before start (`/-/reload` does not load new blocks).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.js';

export const PROMETHEUS = process.env.PROMETHEUS ?? '/usr/bin/prometheus';

export interface PrometheusServer {
  readonly url: string;
  readonly port: number;
  /** The data dir copy Prometheus runs on. */
  readonly dataDir: string;
  /** GET `/api/v1/<path>` with query params; returns the parsed JSON body (any HTTP status). */
  api(path: string, params?: Record<string, string | number | string[]>): Promise<unknown>;
  /** `/api/v1/query_range`; returns the parsed JSON body. */
  queryRange(query: string, start: number, end: number, stepSec: number): Promise<unknown>;
  /** `/api/v1/query`; `time` in seconds. */
  query(query: string, time: number): Promise<unknown>;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes the copied data dir. */
  stop(): Promise<void>;
  /** Everything Prometheus wrote to stderr so far (its log). */
  log(): string;
}

export interface StartPrometheusOptions {
  /** Extra command-line flags. */
  readonly args?: readonly string[];
  /** Ready timeout, ms (default 30 s). */
  readonly readyTimeoutMs?: number;
}

/** Starts Prometheus on a copy of `dataDir` (undefined → empty data dir). */
export async function startPrometheus(dataDir: string | undefined, opts: StartPrometheusOptions = {}): Promise<PrometheusServer> {
  const root = await mkdtemp(join(tmpdir(), 'prometheus-'));
  const data = join(root, 'data');
  if (dataDir !== undefined) await cp(dataDir, data, { recursive: true });
  const config = join(root, 'prometheus.yml');
  await writeFile(config, 'global: { scrape_interval: 15s }\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${config}`, `--storage.tsdb.path=${data}`, '--storage.tsdb.retention.time=100y',
    '--storage.tsdb.min-block-duration=2h', '--storage.tsdb.max-block-duration=2h',
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...(opts.args ?? []),
  ];
  const proc: ChildProcess = spawn(PROMETHEUS, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (b: Buffer) => { log += b.toString('utf8'); if (log.length > 1 << 20) log = log.slice(-(1 << 19)); });
  let exited = false;
  const exit = once(proc, 'exit').then(() => { exited = true; });

  const stop = async (): Promise<void> => {
    if (!exited && proc.pid !== undefined) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => { if (!exited) proc.kill('SIGKILL'); }, 5000);
      await exit;
      clearTimeout(timer);
    }
    await rm(root, { recursive: true, force: true });
  };

  try {
    await waitFor('prometheus /-/ready', async () => {
      if (exited) throw new Error(`prometheus exited before ready: ${log.trim()}`);
      try { return (await fetch(`${url}/-/ready`)).ok; } catch { return false; }
    }, opts.readyTimeoutMs ?? 30_000, 50);
  } catch (err) {
    await stop();
    throw err;
  }

  const api = async (path: string, params: Record<string, string | number | string[]> = {}): Promise<unknown> => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, String(x));
    const res = await fetch(`${url}/api/v1/${path}?${q.toString()}`);
    return res.json() as Promise<unknown>;
  };
  return {
    url, port, dataDir: data, api, stop,
    queryRange: (query, start, end, step) => api('query_range', { query, start, end, step }),
    query: (query, time) => api('query', { query, time }),
    log: () => log,
  };
}
