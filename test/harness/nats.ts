import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.js';

export interface NatsServer {
  readonly url: string;
  readonly monitorUrl: string;
  /** The server's process id (for CPU accounting in benchmarks). */
  readonly pid: number;
  /** Fetches a monitoring endpoint (`varz`, `connz`, `subsz`) as JSON. */
  monitor(path: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * Starts a private nats-server (Debian package) on free loopback ports.
 * `config` lines are written into a config file (e.g. `max_payload: 65536`).
 */
export async function startNats(config: string[] = []): Promise<NatsServer> {
  const [port, http] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'athanor-nats-'));
  const conf = join(dir, 'nats.conf');
  writeFileSync(conf, [`listen: 127.0.0.1:${port}`, `http: 127.0.0.1:${http}`, ...config].join('\n') + '\n');
  const proc: ChildProcess = spawn('nats-server', ['-c', conf], { stdio: 'ignore' });
  let exited = false;
  proc.once('exit', () => { exited = true; });
  const monitorUrl = `http://127.0.0.1:${http}`;
  await waitFor('nats-server', async () => {
    if (exited) throw new Error('nats-server exited');
    return (await fetch(`${monitorUrl}/healthz`)).ok;
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    monitorUrl,
    pid: proc.pid!,
    async monitor(path: string) { return (await (await fetch(`${monitorUrl}/${path}`)).json()) as Record<string, unknown>; },
    stop: () => new Promise<void>((resolve) => {
      const done = () => { rmSync(dir, { recursive: true, force: true }); resolve(); };
      if (exited) return done();
      proc.once('exit', done);
      proc.kill('SIGTERM');
    }),
  };
}
