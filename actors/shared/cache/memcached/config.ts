import { ConfigReader } from '../../objstore/config-reader.js';
import { circuitBreakerConfigFrom, CIRCUIT_BREAKER_DEFAULTS, CIRCUIT_BREAKER_FIELD, type CircuitBreakerConfig } from '../circuit-breaker.js';
import { cacheConfigError } from '../errors.js';

/**
 * Thanos's `cacheutil.MemcachedClientConfig` (the `config:` of a MEMCACHED cache), validated, with
 * Thanos's defaults. Durations in milliseconds, sizes in bytes; 0 means unlimited where noted.
 */
export interface MemcachedClientConfig {
  /** `host:port`, `dns+host:port`, `dnssrv+_name._tcp.domain` or `dnssrvnoa+…` (Thanos DNS SD forms). */
  readonly addresses: readonly string[];
  readonly timeoutMs: number;
  readonly maxIdleConnections: number;
  readonly maxAsyncConcurrency: number;
  readonly maxAsyncBufferSize: number;
  /** Batches of one getMulti in flight at once; 0 = unlimited. */
  readonly maxGetMultiConcurrency: number;
  /** Keys per `get` request; 0 = unlimited (one request per server). */
  readonly maxGetMultiBatchSize: number;
  /** Larger values are not stored (counted skip); 0 = unlimited. */
  readonly maxItemSize: number;
  /** How often DNS SD addresses are re-resolved. */
  readonly dnsProviderUpdateIntervalMs: number;
  /** `set_async_circuit_breaker_config`: the breaker in front of async writes (disabled by default). */
  readonly setAsyncCircuitBreaker: CircuitBreakerConfig;
}

export const MEMCACHED_DEFAULTS = {
  timeoutMs: 500,
  maxIdleConnections: 100,
  maxAsyncConcurrency: 20,
  maxAsyncBufferSize: 10_000,
  maxGetMultiConcurrency: 100,
  maxGetMultiBatchSize: 0,
  maxItemSize: 1024 * 1024,
  dnsProviderUpdateIntervalMs: 10_000,
  setAsyncCircuitBreaker: CIRCUIT_BREAKER_DEFAULTS,
} as const;

const FIELDS = [
  'addresses', 'timeout', 'max_idle_connections', 'max_async_concurrency', 'max_async_buffer_size',
  'max_get_multi_concurrency', 'max_get_multi_batch_size', 'max_item_size', 'dns_provider_update_interval', 'auto_discovery',
  CIRCUIT_BREAKER_FIELD,
] as const;

/** A parsed address: a static `host:port`, a `dns+` A/AAAA lookup, or a `dnssrv+`/`dnssrvnoa+` SRV lookup. */
export type MemcachedAddress =
  | { readonly kind: 'static' | 'dns'; readonly host: string; readonly port: number }
  | { readonly kind: 'dnssrv' | 'dnssrvnoa'; readonly name: string };

/** Parses one address of the config; undefined when malformed. */
export function parseMemcachedAddress(a: string): MemcachedAddress | undefined {
  if (/\s/.test(a) || a === '') return undefined;
  for (const kind of ['dnssrvnoa', 'dnssrv'] as const) {
    if (a.startsWith(`${kind}+`)) {
      const name = a.slice(kind.length + 1);
      return /^[A-Za-z0-9_.-]+$/.test(name) && name.includes('.') ? { kind, name } : undefined;
    }
  }
  const kind = a.startsWith('dns+') ? 'dns' : 'static';
  const hp = splitHostPort(kind === 'dns' ? a.slice(4) : a);
  return hp === undefined ? undefined : { kind, ...hp };
}

/** `host:port` or `[v6]:port` → parts; undefined when the host is empty or the port not 1–65535. */
export function splitHostPort(s: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:/[\]]+)):(\d{1,5})$/.exec(s);
  if (m === null) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? m[2]!, port };
}

/**
 * Reads the memcached client mapping at `where` strictly: unknown fields, an empty `addresses`, a
 * malformed address, negative numbers, `auto_discovery: true` or a bad
 * `set_async_circuit_breaker_config` throw CacheConfigError.
 */
export function memcachedClientConfigFrom(doc: unknown, where: string): MemcachedClientConfig {
  const r = new ConfigReader(where, doc, FIELDS, cacheConfigError);
  if (r.bool('auto_discovery', false)) {
    throw r.error('auto_discovery (AWS ElastiCache cluster discovery) is not supported; list the servers in addresses', { field: 'auto_discovery' });
  }
  const addresses = r.stringList('addresses');
  if (addresses.length === 0) throw r.error('addresses must list at least one memcached server', { field: 'addresses' });
  for (const a of addresses) {
    if (parseMemcachedAddress(a) === undefined) {
      throw r.error(`address ${JSON.stringify(a)} is not host:port, dns+host:port, dnssrv+name or dnssrvnoa+name`, { field: 'addresses', address: a });
    }
  }
  const d = MEMCACHED_DEFAULTS;
  return {
    addresses: [...addresses],
    timeoutMs: r.positive('timeout', r.durationMs('timeout', d.timeoutMs)),
    maxIdleConnections: r.nonNegative('max_idle_connections', r.int('max_idle_connections', d.maxIdleConnections)),
    maxAsyncConcurrency: r.positive('max_async_concurrency', r.int('max_async_concurrency', d.maxAsyncConcurrency)),
    maxAsyncBufferSize: r.positive('max_async_buffer_size', r.int('max_async_buffer_size', d.maxAsyncBufferSize)),
    maxGetMultiConcurrency: r.nonNegative('max_get_multi_concurrency', r.int('max_get_multi_concurrency', d.maxGetMultiConcurrency)),
    maxGetMultiBatchSize: r.nonNegative('max_get_multi_batch_size', r.int('max_get_multi_batch_size', d.maxGetMultiBatchSize)),
    maxItemSize: r.bytes('max_item_size', d.maxItemSize),
    dnsProviderUpdateIntervalMs: r.positive('dns_provider_update_interval', r.durationMs('dns_provider_update_interval', d.dnsProviderUpdateIntervalMs)),
    setAsyncCircuitBreaker: circuitBreakerConfigFrom(r),
  };
}
