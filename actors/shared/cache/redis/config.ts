import { ConfigReader } from '../../objstore/config-reader.js';
import { circuitBreakerConfigFrom, CIRCUIT_BREAKER_DEFAULTS, CIRCUIT_BREAKER_FIELD, type CircuitBreakerConfig } from '../circuit-breaker.js';
import { cacheConfigError } from '../errors.js';
import { splitHostPort } from '../memcached/config.js';

/** `tls_config` of a redis client (file paths; the files are read when the client is built). */
export interface RedisTlsConfig {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** SNI and certificate name to check; "" = the host of `addr`. */
  readonly serverName: string;
  readonly insecureSkipVerify: boolean;
  /** Lowest TLS version accepted (node's `minVersion`, from Thanos's `min_version` VersionTLS1x); undefined = node's default. */
  readonly minVersion: TlsMinVersion | undefined;
}

/** node:tls protocol versions a `min_version` can name. */
export type TlsMinVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** Thanos's (Go's) `min_version` names → node's. */
export const TLS_MIN_VERSIONS: Readonly<Record<string, TlsMinVersion>> = {
  VersionTLS10: 'TLSv1', VersionTLS11: 'TLSv1.1', VersionTLS12: 'TLSv1.2', VersionTLS13: 'TLSv1.3',
};

/**
 * Thanos's `cacheutil.RedisClientConfig` (the `config:` of a REDIS cache), validated, with Thanos's
 * defaults. Durations in milliseconds. Sentinel (`master_name`) and client-side caching
 * (`cache_size`) are refused rather than silently ignored.
 */
export interface RedisClientConfig {
  /** `host:port` of one redis server (no cluster, no sentinel). */
  readonly addr: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly db: number;
  readonly dialTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly writeTimeoutMs: number;
  /** At most this many connections are open at once. */
  readonly poolSize: number;
  /** Idle connections kept open past idle_timeout. */
  readonly minIdleConns: number;
  /** A connection idle this long is closed (beyond min_idle_conns); 0 = never. */
  readonly idleTimeoutMs: number;
  /** A connection older than this is closed once idle; 0 = forever. */
  readonly maxConnAgeMs: number;
  /** MGET batches of one getMulti in flight at once; 0 = unlimited. */
  readonly maxGetMultiConcurrency: number;
  /** Keys per MGET; 0 = all keys in one MGET. */
  readonly getMultiBatchSize: number;
  /** SET pipelines in flight at once; 0 = unlimited (the async queue still bounds them). */
  readonly maxSetMultiConcurrency: number;
  /** SETs per pipeline; 0 = unlimited. */
  readonly setMultiBatchSize: number;
  readonly tlsEnabled: boolean;
  readonly tls: RedisTlsConfig;
  readonly maxAsyncBufferSize: number;
  readonly maxAsyncConcurrency: number;
  /** Prepended to every key sent to redis (the caller's keys are what getMulti returns). */
  readonly prefix: string;
  /** `set_async_circuit_breaker_config`: the breaker in front of async writes (disabled by default). */
  readonly setAsyncCircuitBreaker: CircuitBreakerConfig;
}

export const REDIS_DEFAULTS = {
  username: '',
  password: '',
  db: 0,
  dialTimeoutMs: 5_000,
  readTimeoutMs: 3_000,
  writeTimeoutMs: 3_000,
  poolSize: 100,
  minIdleConns: 10,
  idleTimeoutMs: 5 * 60_000,
  maxConnAgeMs: 0,
  maxGetMultiConcurrency: 100,
  getMultiBatchSize: 100,
  maxSetMultiConcurrency: 100,
  setMultiBatchSize: 100,
  maxAsyncBufferSize: 10_000,
  maxAsyncConcurrency: 20,
  prefix: '',
  setAsyncCircuitBreaker: CIRCUIT_BREAKER_DEFAULTS,
} as const;

const FIELDS = [
  'addr', 'username', 'password', 'db', 'dial_timeout', 'read_timeout', 'write_timeout', 'pool_size',
  'min_idle_conns', 'idle_timeout', 'max_conn_age', 'max_get_multi_concurrency', 'get_multi_batch_size',
  'max_set_multi_concurrency', 'set_multi_batch_size', 'tls_enabled', 'tls_config', 'cache_size', 'master_name',
  'max_async_buffer_size', 'max_async_concurrency', 'prefix', CIRCUIT_BREAKER_FIELD,
] as const;
const TLS_FIELDS = ['ca_file', 'cert_file', 'key_file', 'server_name', 'insecure_skip_verify', 'min_version'] as const;

/**
 * Reads the redis client mapping at `where` strictly. Unknown fields, a missing or malformed `addr`
 * (`host:port`), negative numbers, zero timeouts or pool size, a non-empty `master_name`, a
 * non-zero `cache_size`, an unknown `tls_config.min_version` and a bad
 * `set_async_circuit_breaker_config` throw CacheConfigError naming the field.
 */
export function redisClientConfigFrom(doc: unknown, where: string): RedisClientConfig {
  const r = new ConfigReader(where, doc, FIELDS, cacheConfigError);
  if (r.string('master_name') !== '') {
    throw r.error('field "master_name": redis Sentinel is not supported; give the master\'s host:port in addr and leave master_name empty', { field: 'master_name' });
  }
  if (r.bytes('cache_size', 0) !== 0) {
    throw r.error('field "cache_size": redis client-side caching is not supported; set cache_size to 0', { field: 'cache_size' });
  }
  const addr = r.string('addr');
  if (addr === '') throw r.error('field "addr" is required: the host:port of the redis server', { field: 'addr' });
  const hp = splitHostPort(addr);
  if (hp === undefined) throw r.bad('addr', 'host:port', addr);
  const d = REDIS_DEFAULTS;
  const t = r.sub('tls_config', TLS_FIELDS);
  const minVersionName = t.string('min_version');
  const minVersion = minVersionName === '' ? undefined : TLS_MIN_VERSIONS[minVersionName];
  if (minVersion === undefined && minVersionName !== '') throw t.bad('min_version', `one of ${Object.keys(TLS_MIN_VERSIONS).join(', ')}`, minVersionName);
  return {
    addr,
    host: hp.host,
    port: hp.port,
    username: r.string('username', d.username),
    password: r.string('password', d.password),
    db: r.nonNegative('db', r.int('db', d.db)),
    dialTimeoutMs: r.positive('dial_timeout', r.durationMs('dial_timeout', d.dialTimeoutMs)),
    readTimeoutMs: r.positive('read_timeout', r.durationMs('read_timeout', d.readTimeoutMs)),
    writeTimeoutMs: r.positive('write_timeout', r.durationMs('write_timeout', d.writeTimeoutMs)),
    poolSize: r.positive('pool_size', r.int('pool_size', d.poolSize)),
    minIdleConns: r.nonNegative('min_idle_conns', r.int('min_idle_conns', d.minIdleConns)),
    idleTimeoutMs: r.durationMs('idle_timeout', d.idleTimeoutMs),
    maxConnAgeMs: r.durationMs('max_conn_age', d.maxConnAgeMs),
    maxGetMultiConcurrency: r.nonNegative('max_get_multi_concurrency', r.int('max_get_multi_concurrency', d.maxGetMultiConcurrency)),
    getMultiBatchSize: r.nonNegative('get_multi_batch_size', r.int('get_multi_batch_size', d.getMultiBatchSize)),
    maxSetMultiConcurrency: r.nonNegative('max_set_multi_concurrency', r.int('max_set_multi_concurrency', d.maxSetMultiConcurrency)),
    setMultiBatchSize: r.nonNegative('set_multi_batch_size', r.int('set_multi_batch_size', d.setMultiBatchSize)),
    tlsEnabled: r.bool('tls_enabled', false),
    tls: {
      caFile: t.string('ca_file'),
      certFile: t.string('cert_file'),
      keyFile: t.string('key_file'),
      serverName: t.string('server_name'),
      insecureSkipVerify: t.bool('insecure_skip_verify', false),
      minVersion,
    },
    maxAsyncBufferSize: r.positive('max_async_buffer_size', r.int('max_async_buffer_size', d.maxAsyncBufferSize)),
    maxAsyncConcurrency: r.positive('max_async_concurrency', r.int('max_async_concurrency', d.maxAsyncConcurrency)),
    prefix: r.string('prefix', d.prefix),
    setAsyncCircuitBreaker: circuitBreakerConfigFrom(r),
  };
}
