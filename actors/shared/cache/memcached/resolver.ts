import { promises as dns } from 'node:dns';
import { parseMemcachedAddress, type MemcachedAddress } from './config.js';

/** A server to connect to. */
export interface ServerAddress { readonly host: string; readonly port: number }

/** Injected DNS functions (tests, or node:dns by default). */
export interface DnsLookups {
  lookupAll(host: string): Promise<string[]>;
  resolveSrv(name: string): Promise<Array<{ name: string; port: number }>>;
}

export const nodeDns: DnsLookups = {
  lookupAll: async (host) => (await dns.lookup(host, { all: true })).map((a) => a.address),
  resolveSrv: (name) => dns.resolveSrv(name),
};

/** True when every address is a plain `host:port` (nothing to resolve, ever). */
export function allStatic(addresses: readonly string[]): boolean {
  return addresses.every((a) => parseMemcachedAddress(a)?.kind === 'static');
}

/**
 * Resolves Thanos-style addresses to servers, sorted by `host:port` and without duplicates (so every
 * process orders them alike). `dns+host:port` → every A/AAAA address of host; `dnssrv+name` → each SRV
 * target's addresses at its port; `dnssrvnoa+name` → each SRV target name as is. Rejects when any
 * lookup fails (the caller keeps the previous list).
 */
export async function resolveServers(addresses: readonly string[], d: DnsLookups = nodeDns): Promise<ServerAddress[]> {
  const parts = await Promise.all(addresses.map(async (a) => resolveOne(parseMemcachedAddress(a), a, d)));
  const seen = new Map<string, ServerAddress>();
  for (const s of parts.flat()) seen.set(`${s.host}:${s.port}`, s);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

async function resolveOne(p: MemcachedAddress | undefined, raw: string, d: DnsLookups): Promise<ServerAddress[]> {
  if (p === undefined) throw new Error(`bad memcached address ${JSON.stringify(raw)}`);
  switch (p.kind) {
    case 'static': return [{ host: p.host, port: p.port }];
    case 'dns': return (await d.lookupAll(p.host)).map((host) => ({ host, port: p.port }));
    case 'dnssrvnoa': return (await d.resolveSrv(p.name)).map((s) => ({ host: s.name, port: s.port }));
    case 'dnssrv': {
      const srv = await d.resolveSrv(p.name);
      const hosts = await Promise.all(srv.map(async (s) => (await d.lookupAll(s.name)).map((host) => ({ host, port: s.port }))));
      return hosts.flat();
    }
  }
}
