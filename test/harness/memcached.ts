import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort, waitFor } from './ports.js';

/** A private memcached (Debian package, /usr/bin/memcached) on a free loopback port. */
export interface MemcachedServer {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  readonly port: number;
  /** Kills the server (SIGKILL, as a crash) and waits for its exit. Idempotent. */
  stop(): Promise<void>;
  /** Starts a fresh (empty) server on the same port after `stop` (stops it first if running). */
  restart(): Promise<void>;
}

/** Starts `memcached -l 127.0.0.1 -p <port> -U 0 -m 64` (`-I <maxItemSize>` when given, e.g. `2m`). */
export async function startMemcached(opts: { maxItemSize?: string } = {}): Promise<MemcachedServer> {
  const port = await freePort();
  const args = [
    '-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '64',
    ...(opts.maxItemSize ? ['-I', opts.maxItemSize] : []),
    ...(process.getuid?.() === 0 ? ['-u', 'root'] : []), // memcached refuses to run as root otherwise
  ];
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    const p = spawn('memcached', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    exited = new Promise((resolve) => p.once('exit', () => resolve()));
    proc = p;
    const died = exited.then(() => { throw new Error(`memcached exited at start: ${stderr.trim()}`); });
    died.catch(() => undefined);
    await Promise.race([died, waitFor(`memcached on ${port}`, () => {
      return new Promise<boolean>((resolve) => {
        const s = connect({ host: '127.0.0.1', port });
        s.once('connect', () => { s.destroy(); resolve(true); });
        s.once('error', () => { s.destroy(); resolve(false); });
      });
    })]);
  };
  const stop = async (): Promise<void> => {
    if (proc === undefined) return;
    proc.kill('SIGKILL');
    proc = undefined;
    await exited;
  };
  await start();
  return {
    address: `127.0.0.1:${port}`,
    port,
    stop,
    restart: async () => { await stop(); await start(); },
  };
}
