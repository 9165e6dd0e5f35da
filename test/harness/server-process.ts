import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { waitFor } from './ports.js';

/** A server binary run on a fixed loopback port, restartable on the same port (memcached, redis-server). */
export interface ServerProcess {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  readonly port: number;
  /** Kills the server (SIGKILL, as a crash) and waits for its exit. Idempotent. */
  stop(): Promise<void>;
  /** Starts a fresh server on the same port after `stop` (stops it first if running). */
  restart(): Promise<void>;
}

/** Spawns `bin args`, waits until `port` accepts TCP connections (failing at once, with its stderr, if it exits). */
export async function startServerProcess(bin: string, args: readonly string[], port: number): Promise<ServerProcess> {
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async (): Promise<void> => {
    const p = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    exited = new Promise((resolve) => p.once('exit', () => resolve()));
    proc = p;
    const died = exited.then(() => { throw new Error(`${bin} exited at start: ${stderr.trim()}`); });
    died.catch(() => undefined);
    await Promise.race([died, waitFor(`${bin} on ${port}`, () => new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => { s.destroy(); resolve(false); });
    }))]);
  };
  const stop = async (): Promise<void> => {
    if (proc === undefined) return;
    proc.kill('SIGKILL');
    proc = undefined;
    await exited;
  };
  await start();
  return { address: `127.0.0.1:${port}`, port, stop, restart: async () => { await stop(); await start(); } };
}
