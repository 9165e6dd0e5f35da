import t from 'tap';
import { MemcachedClient } from '../../../../actors/shared/cache/memcached/client.js';
import { memcachedClientConfigFrom, MEMCACHED_DEFAULTS, parseMemcachedAddress } from '../../../../actors/shared/cache/memcached/config.js';
import { fnv1a64, jumpHash, serverIndexFor } from '../../../../actors/shared/cache/memcached/hash.js';
import { resolveServers } from '../../../../actors/shared/cache/memcached/resolver.js';
import { startMemcached } from '../../../harness/memcached.js';
import { waitFor } from '../../../harness/ports.js';

const where = 'index cache config (MEMCACHED).config';

t.test('defaults are Thanos\'s', async (t) => {
  const c = memcachedClientConfigFrom({ addresses: ['127.0.0.1:11211'] }, where);
  t.same(c, { addresses: ['127.0.0.1:11211'], ...MEMCACHED_DEFAULTS });
  t.same(MEMCACHED_DEFAULTS, {
    timeoutMs: 500, maxIdleConnections: 100, maxAsyncConcurrency: 20, maxAsyncBufferSize: 10_000, maxGetMultiConcurrency: 100,
    maxGetMultiBatchSize: 0, maxItemSize: 1024 * 1024, dnsProviderUpdateIntervalMs: 10_000,
    setAsyncCircuitBreaker: { enabled: false, halfOpenMaxRequests: 10, openDurationMs: 5000, minRequests: 50, consecutiveFailures: 5, failurePercent: 0.05 },
  });
  const set = memcachedClientConfigFrom({
    addresses: ['a:1', 'dns+b:2'], timeout: '2s', max_idle_connections: 5, max_async_concurrency: 3, max_async_buffer_size: 7,
    max_get_multi_concurrency: 0, max_get_multi_batch_size: 50, max_item_size: '2MB', dns_provider_update_interval: '30s', auto_discovery: false,
    set_async_circuit_breaker_config: { enabled: true, half_open_max_requests: 1, open_duration: '1m', min_requests: 2, consecutive_failures: 3, failure_percent: 0.25 },
  }, where);
  t.same(set, {
    addresses: ['a:1', 'dns+b:2'], timeoutMs: 2000, maxIdleConnections: 5, maxAsyncConcurrency: 3, maxAsyncBufferSize: 7,
    maxGetMultiConcurrency: 0, maxGetMultiBatchSize: 50, maxItemSize: 2 * 1024 * 1024, dnsProviderUpdateIntervalMs: 30_000,
    setAsyncCircuitBreaker: { enabled: true, halfOpenMaxRequests: 1, openDurationMs: 60_000, minRequests: 2, consecutiveFailures: 3, failurePercent: 0.25 },
  });
});

t.test('refused: unknown field, missing or empty addresses, bad addresses, auto_discovery, negative numbers', async (t) => {
  const bad: Array<[unknown, RegExp]> = [
    [{ addresses: ['a:1'], max_idle_conns: 3 }, /unknown field "max_idle_conns"/],
    [{}, /addresses must list at least one/],
    [{ addresses: [] }, /addresses must list at least one/],
    [{ addresses: 'a:1' }, /must be a list of strings/],
    [{ addresses: ['localhost'] }, /address "localhost" is not/],
    [{ addresses: ['a:0'] }, /address "a:0"/],
    [{ addresses: ['a:70000'] }, /address "a:70000"/],
    [{ addresses: ['dns+:1'] }, /address "dns\+:1"/],
    [{ addresses: ['dnssrv+'] }, /address "dnssrv\+"/],
    [{ addresses: ['a :1'] }, /address "a :1"/],
    [{ addresses: ['a:1'], auto_discovery: true }, /auto_discovery .* not supported; list the servers/],
    [{ addresses: ['a:1'], max_get_multi_batch_size: -1 }, /max_get_multi_batch_size/],
    [{ addresses: ['a:1'], timeout: '0' }, /timeout/],
    [{ addresses: ['a:1'], timeout: 'soon' }, /timeout/],
    ['just a string', /expected a mapping/],
    [{ addresses: ['a:1'], set_async_circuit_breaker_config: { enabled: true, consecutive_failures: 0 } }, /set_async_circuit_breaker_config: field "consecutive_failures"/],
    [{ addresses: ['a:1'], set_async_circuit_breaker_config: { enabled: true, failure_percent: 1.01 } }, /set_async_circuit_breaker_config: field "failure_percent"/],
    [{ addresses: ['a:1'], set_async_circuit_breaker_config: { open: '1s' } }, /set_async_circuit_breaker_config: unknown field "open"/],
  ];
  for (const [doc, re] of bad) {
    t.throws(() => memcachedClientConfigFrom(doc, where), { code: 'CACHE_BAD_CONFIG', message: re }, JSON.stringify(doc));
  }
  t.match((() => { try { memcachedClientConfigFrom({}, where); } catch (e) { return (e as Error).message; } return ''; })(), where, 'message names the mapping');
});

t.test('address forms', async (t) => {
  t.same(parseMemcachedAddress('[::1]:11211'), { kind: 'static', host: '::1', port: 11211 });
  t.same(parseMemcachedAddress('dns+memcached.svc:11211'), { kind: 'dns', host: 'memcached.svc', port: 11211 });
  t.same(parseMemcachedAddress('dnssrv+_memcached._tcp.memcached.svc'), { kind: 'dnssrv', name: '_memcached._tcp.memcached.svc' });
  t.same(parseMemcachedAddress('dnssrvnoa+_mc._tcp.svc'), { kind: 'dnssrvnoa', name: '_mc._tcp.svc' });
});

t.test('DNS SD: dns+ looks up all addresses, dnssrv+ resolves SRV then targets, dnssrvnoa+ keeps targets; sorted, deduplicated', async (t) => {
  const fake = {
    lookupAll: async (h: string) => ({ 'mc.svc': ['10.0.0.2', '10.0.0.1'], 'n1.svc': ['10.0.1.1'], 'n2.svc': ['10.0.1.2'] } as Record<string, string[]>)[h] ?? [],
    resolveSrv: async (n: string) => (n === '_mc._tcp.svc' ? [{ name: 'n2.svc', port: 7 }, { name: 'n1.svc', port: 7 }] : []),
  };
  t.same(await resolveServers(['dns+mc.svc:11211', '10.0.0.1:11211'], fake), [{ host: '10.0.0.1', port: 11211 }, { host: '10.0.0.2', port: 11211 }]);
  t.same(await resolveServers(['dnssrv+_mc._tcp.svc'], fake), [{ host: '10.0.1.1', port: 7 }, { host: '10.0.1.2', port: 7 }]);
  t.same(await resolveServers(['dnssrvnoa+_mc._tcp.svc'], fake), [{ host: 'n1.svc', port: 7 }, { host: 'n2.svc', port: 7 }]);
  await t.rejects(resolveServers(['dns+mc.svc:1'], { ...fake, lookupAll: () => Promise.reject(new Error('ENOTFOUND')) }));
});

t.test('dns+localhost:port resolves and serves', async (t) => {
  const s = await startMemcached();
  t.teardown(() => s.stop());
  const c = new MemcachedClient(memcachedClientConfigFrom({ addresses: [`dns+localhost:${s.port}`] }, where), { name: 'dns' });
  t.teardown(() => c.close());
  const servers = await c.servers();
  t.ok(servers.includes(`127.0.0.1:${s.port}`), `resolved ${servers.join(', ')}`);
  if (servers.length === 1) {
    c.setAsync('dns:k', Uint8Array.of(1, 2, 3), 60_000);
    await c.flush();
    t.same([...((await c.getMulti(['dns:k'])).get('dns:k') ?? [])], [1, 2, 3]);
  }
});

t.test('placement: FNV-1a 64 known vectors; jump hash is stable and moves few keys when a server is added', async (t) => {
  t.equal(fnv1a64('').toString(16), 'cbf29ce484222325');
  t.equal(fnv1a64('a').toString(16), 'af63dc4c8601ec8c');
  t.equal(fnv1a64('foobar').toString(16), '85944171f73967e8');
  t.equal(jumpHash(0n, 1), 0);
  const keys = Array.from({ length: 2000 }, (_, i) => `P:${i}`);
  const three = keys.map((k) => serverIndexFor(k, 3));
  const four = keys.map((k) => serverIndexFor(k, 4));
  const counts = [0, 1, 2].map((i) => three.filter((x) => x === i).length);
  t.ok(counts.every((n) => n > 500), `spread ${counts.join('/')}`);
  const moved = keys.filter((_, i) => three[i] !== four[i]);
  t.ok(moved.length < 700 && moved.every((k) => serverIndexFor(k, 4) === 3), `only keys for the new server move (${moved.length})`);
  t.same(keys.map((k) => serverIndexFor(k, 3)), three, 'deterministic');
});

t.test('DNS SD addresses are re-resolved every dns_provider_update_interval; a failed lookup keeps the servers', async (t) => {
  const [s1, s2] = [await startMemcached(), await startMemcached()];
  t.teardown(async () => { await s1.stop(); await s2.stop(); });
  let answer: Array<{ name: string; port: number }> | Error = [{ name: '127.0.0.1', port: s1.port }];
  let lookups = 0;
  const dns = {
    lookupAll: async (h: string) => [h],
    resolveSrv: async () => { lookups++; if (answer instanceof Error) throw answer; return answer; },
  };
  const cfg = memcachedClientConfigFrom({ addresses: ['dnssrvnoa+_mc._tcp.test'], dns_provider_update_interval: '20ms' }, where);
  const c = new MemcachedClient(cfg, { name: 'sd', dns });
  t.teardown(() => c.close());
  t.same(await c.servers(), [s1.address]);
  answer = new Error('SERVFAIL');
  const seen = lookups;
  await waitFor('a failed re-resolution', async () => lookups > seen + 1);
  t.same(await c.servers(), [s1.address], 'kept after a failed lookup');
  answer = [{ name: '127.0.0.1', port: s2.port }];
  await waitFor('the new server', async () => (await c.servers())[0] === s2.address);
  c.setAsync('sd:k', Uint8Array.of(9), 60_000);
  await c.flush();
  const direct = new MemcachedClient(memcachedClientConfigFrom({ addresses: [s2.address] }, where), { name: 'direct' });
  t.teardown(() => direct.close());
  t.equal((await direct.getMulti(['sd:k'])).size, 1, 'writes go to the re-resolved server');
});
