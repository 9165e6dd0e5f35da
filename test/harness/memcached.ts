import { freePort } from './ports.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** A private memcached (Debian package) on a free loopback port; `restart` starts an empty one on the same port. */
export type MemcachedServer = ServerProcess;

/** Starts `memcached -l 127.0.0.1 -p <port> -U 0 -m 64` (`-I <maxItemSize>` when given, e.g. `2m`). */
export async function startMemcached(opts: { maxItemSize?: string } = {}): Promise<MemcachedServer> {
  const port = await freePort();
  const args = [
    '-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '64',
    ...(opts.maxItemSize ? ['-I', opts.maxItemSize] : []),
    ...(process.getuid?.() === 0 ? ['-u', 'root'] : []), // memcached refuses to run as root otherwise
  ];
  return startServerProcess('memcached', args, port);
}
