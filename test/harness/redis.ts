import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort, waitFor } from './ports.js';

/** A private redis-server (Debian package, /usr/bin/redis-server) on a free loopback port. */
export interface RedisServer {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  readonly port: number;
  /** Kills the server (SIGKILL, as a crash) and waits for its exit. Idempotent. */
  stop(): Promise<void>;
  /** Starts a fresh (empty: no persistence) server on the same port after `stop` (stops it first if running). */
  restart(): Promise<void>;
}

/**
 * Starts `redis-server --port <port> --bind 127.0.0.1 --save '' --appendonly no` (+ `--requirepass`
 * when a password is given), waiting until it accepts connections. With `tls` (a PEM certificate and
 * key, e.g. self-signed) the port speaks TLS only and client certificates are not asked for.
 */
export async function startRedis(opts: { password?: string; tls?: { certFile: string; keyFile: string } } = {}): Promise<RedisServer> {
  const port = await freePort();
  const listen = opts.tls === undefined
    ? ['--port', String(port)]
    : ['--port', '0', '--tls-port', String(port), '--tls-cert-file', opts.tls.certFile, '--tls-key-file', opts.tls.keyFile,
      '--tls-ca-cert-file', opts.tls.certFile, '--tls-auth-clients', 'no'];
  const args = [
    ...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no',
    ...(opts.password !== undefined ? ['--requirepass', opts.password] : []),
  ];
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    const p = spawn('redis-server', args, { stdio: 'ignore' });
    let gone = false;
    exited = new Promise((resolve) => p.once('exit', () => { gone = true; resolve(); }));
    proc = p;
    await waitFor(`redis-server on ${port}`, () => {
      if (gone) throw new Error('redis-server exited');
      return new Promise<boolean>((resolve) => {
        const s = connect({ host: '127.0.0.1', port });
        s.once('connect', () => { s.destroy(); resolve(true); });
        s.once('error', () => { s.destroy(); resolve(false); });
      });
    });
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
