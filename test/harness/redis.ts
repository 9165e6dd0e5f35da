import { freePort } from './ports.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** A private redis-server (Debian package) on a free loopback port; `restart` starts an empty one on the same port. */
export type RedisServer = ServerProcess;

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
  return startServerProcess('redis-server', args, port);
}
