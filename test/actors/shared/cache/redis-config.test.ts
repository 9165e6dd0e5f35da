import t from 'tap';
import { CacheConfigError } from '../../../../actors/shared/cache/errors.js';
import { redisTlsOptions } from '../../../../actors/shared/cache/redis/client.js';
import { redisClientConfigFrom } from '../../../../actors/shared/cache/redis/config.js';

const W = 'index cache config (REDIS)';

t.test('defaults are Thanos\'s', async (t) => {
  const c = redisClientConfigFrom({ addr: 'localhost:6379' }, W);
  t.same(c, {
    addr: 'localhost:6379', host: 'localhost', port: 6379, username: '', password: '', db: 0,
    dialTimeoutMs: 5000, readTimeoutMs: 3000, writeTimeoutMs: 3000, poolSize: 100, minIdleConns: 10,
    idleTimeoutMs: 300_000, maxConnAgeMs: 0, maxGetMultiConcurrency: 100, getMultiBatchSize: 100,
    maxSetMultiConcurrency: 100, setMultiBatchSize: 100, tlsEnabled: false,
    tls: { caFile: '', certFile: '', keyFile: '', serverName: '', insecureSkipVerify: false, minVersion: undefined },
    maxAsyncBufferSize: 10_000, maxAsyncConcurrency: 20, prefix: '',
    setAsyncCircuitBreaker: { enabled: false, halfOpenMaxRequests: 10, openDurationMs: 5000, minRequests: 50, consecutiveFailures: 5, failurePercent: 0.05 },
  });
});

t.test('every field is read', async (t) => {
  const c = redisClientConfigFrom({
    addr: '[::1]:7000', username: 'u', password: 'p', db: 3, dial_timeout: '1s', read_timeout: '250ms', write_timeout: '2s',
    pool_size: 5, min_idle_conns: 1, idle_timeout: '1m', max_conn_age: '1h', max_get_multi_concurrency: 2,
    get_multi_batch_size: 7, max_set_multi_concurrency: 3, set_multi_batch_size: 0, tls_enabled: true,
    tls_config: { ca_file: '/ca', cert_file: '/c', key_file: '/k', server_name: 'r', insecure_skip_verify: true, min_version: 'VersionTLS13' },
    cache_size: 0, master_name: '', max_async_buffer_size: 9, max_async_concurrency: 4, prefix: 'thanos:',
    set_async_circuit_breaker_config: { enabled: true, half_open_max_requests: 2, open_duration: '300ms', min_requests: 3, consecutive_failures: 2, failure_percent: 1 },
  }, W);
  t.match(c, {
    host: '::1', port: 7000, username: 'u', password: 'p', db: 3, dialTimeoutMs: 1000, readTimeoutMs: 250, writeTimeoutMs: 2000,
    poolSize: 5, minIdleConns: 1, idleTimeoutMs: 60_000, maxConnAgeMs: 3_600_000, maxGetMultiConcurrency: 2, getMultiBatchSize: 7,
    maxSetMultiConcurrency: 3, setMultiBatchSize: 0, tlsEnabled: true,
    tls: { caFile: '/ca', certFile: '/c', keyFile: '/k', serverName: 'r', insecureSkipVerify: true, minVersion: 'TLSv1.3' },
    maxAsyncBufferSize: 9, maxAsyncConcurrency: 4, prefix: 'thanos:',
    setAsyncCircuitBreaker: { enabled: true, halfOpenMaxRequests: 2, openDurationMs: 300, minRequests: 3, consecutiveFailures: 2, failurePercent: 1 },
  });
  const versions = ['VersionTLS10', 'VersionTLS11', 'VersionTLS12', 'VersionTLS13']
    .map((v) => redisClientConfigFrom({ addr: 'h:1', tls_config: { min_version: v } }, W).tls.minVersion);
  t.same(versions, ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], 'every Go min_version maps to node\'s');
});

t.test('bad configs are refused naming the field', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{}, /"addr" is required/],
    [{ addr: 'localhost' }, /"addr" must be host:port/],
    [{ addr: 'h:0' }, /"addr"/],
    [{ addr: 'h:1', adress: 'x' }, /unknown field "adress"/],
    [{ addr: 'h:1', tls_config: { ca: 'x' } }, /tls_config: unknown field "ca"/],
    [{ addr: 'h:1', master_name: 'mymaster' }, /"master_name".*Sentinel is not supported/],
    [{ addr: 'h:1', cache_size: '64MB' }, /"cache_size".*client-side caching is not supported/],
    [{ addr: 'h:1', pool_size: -1 }, /"pool_size" must be greater than zero/],
    [{ addr: 'h:1', get_multi_batch_size: -1 }, /"get_multi_batch_size" must be zero or more/],
    [{ addr: 'h:1', db: -2 }, /"db"/],
    [{ addr: 'h:1', read_timeout: 'soon' }, /"read_timeout"/],
    [{ addr: 'h:1', max_async_buffer_size: 0 }, /"max_async_buffer_size"/],
    ['addr: h:1', /expected a mapping/],
    [{ addr: 'h:1', tls_config: { min_version: 'TLS1.3' } }, /tls_config: field "min_version" must be one of VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13, got "TLS1.3"/],
    [{ addr: 'h:1', tls_config: { min_version: 'VersionSSL30' } }, /"min_version"/],
    [{ addr: 'h:1', prefix: ['a'] }, /"prefix" must be a string/],
    [{ addr: 'h:1', set_async_circuit_breaker_config: { enabled: true, consecutive_failures: 0 } }, /set_async_circuit_breaker_config: field "consecutive_failures"/],
    [{ addr: 'h:1', set_async_circuit_breaker_config: { enabled: true, failure_percent: 0 } }, /set_async_circuit_breaker_config: field "failure_percent"/],
    [{ addr: 'h:1', set_async_circuit_breaker_config: { half_open: 1 } }, /set_async_circuit_breaker_config: unknown field "half_open"/],
  ];
  for (const [doc, re] of cases) {
    let err: unknown;
    try { redisClientConfigFrom(doc, W); } catch (e) { err = e; }
    t.ok(err instanceof CacheConfigError, `${JSON.stringify(doc)} → CacheConfigError`);
    t.match((err as Error | undefined)?.message ?? '', re);
    t.ok((err as Error | undefined)?.message.startsWith(W), 'names the mapping');
  }
});

t.test('tls_config.min_version reaches the node:tls options', async (t) => {
  const v13 = redisClientConfigFrom({ addr: 'h:1', tls_enabled: true, tls_config: { min_version: 'VersionTLS13' } }, W);
  t.equal(redisTlsOptions(v13).minVersion, 'TLSv1.3');
  const none = redisClientConfigFrom({ addr: 'h:1', tls_enabled: true }, W);
  t.notOk('minVersion' in redisTlsOptions(none), 'absent: node\'s default');
});
