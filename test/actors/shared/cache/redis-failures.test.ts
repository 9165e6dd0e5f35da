import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { CacheConfigError } from '../../../../actors/shared/cache/errors.js';
import { RedisClient } from '../../../../actors/shared/cache/redis/client.js';
import { redisClientConfigFrom, type RedisClientConfig } from '../../../../actors/shared/cache/redis/config.js';
import { waitFor } from '../../../harness/ports.js';
import { startRedis } from '../../../harness/redis.js';
import { counter, dec, enc } from './helpers.js';

function config(addr: string, extra: Record<string, unknown> = {}): RedisClientConfig {
  return redisClientConfigFrom({ addr, ...extra }, 'test');
}

/** A TCP server that accepts connections, reads everything and never answers. */
async function silentServer(): Promise<{ server: Server; address: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => { sockets.add(s); s.on('data', () => undefined); s.on('error', () => undefined); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { server, address: `127.0.0.1:${port}`, sockets };
}

t.test('killed server: misses and counted failures; after a restart the client recovers', async (t) => {
  const srv = await startRedis();
  t.teardown(() => srv.stop());
  const reg = new Registry();
  const c = new RedisClient(config(srv.address, { dial_timeout: '1s', read_timeout: '1s' }), { name: 'crash', registry: reg });
  t.teardown(() => c.close());
  c.setAsync('crash:k', enc('v1'), 60_000);
  await c.flush();
  t.equal(dec((await c.getMulti(['crash:k'])).get('crash:k')), 'v1');
  await srv.stop();
  t.equal((await c.getMulti(['crash:k', 'crash:j'])).size, 0, 'server down: misses');
  c.setAsync('crash:k', enc('lost'), 60_000);
  await c.flush();
  const failed = await counter(reg, 'athanor_redis_operation_failures_total', { name: 'crash' });
  t.ok(failed >= 2, `failures counted (${failed})`);
  t.ok(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'crash', operation: 'getmulti', reason: 'connect' }) >= 1, 'getmulti failure reason connect');
  await srv.restart();
  t.equal((await c.getMulti(['crash:k'])).size, 0, 'a fresh server is empty (and answers)');
  c.setAsync('crash:k', enc('v2'), 60_000);
  await c.flush();
  t.equal(dec((await c.getMulti(['crash:k'])).get('crash:k')), 'v2', 'recovered');
});

t.test('a server that accepts and never answers: getMulti resolves with misses after ~read_timeout (reason timeout)', async (t) => {
  const silent = await silentServer();
  t.teardown(() => { for (const s of silent.sockets) s.destroy(); silent.server.close(); });
  const reg = new Registry();
  const c = new RedisClient(config(silent.address, { read_timeout: '300ms', write_timeout: '300ms', dial_timeout: '300ms' }), { name: 'silent', registry: reg });
  t.teardown(() => c.close());
  const start = Date.now();
  const got = await c.getMulti(['s:a', 's:b']);
  const took = Date.now() - start;
  t.equal(got.size, 0);
  t.ok(took >= 250 && took < 3000, `resolved after ${took} ms (read_timeout 300 ms)`);
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'silent', operation: 'getmulti', reason: 'timeout' }), 1);
  await waitFor('the server to see the connection closed', async () => silent.sockets.size === 0, 5000, 10);
  t.pass('the timed-out connection was destroyed');
  t.equal(c.openConnections, 0);
});

t.test('a full async queue drops writes as skipped queue_full', async (t) => {
  const silent = await silentServer();
  t.teardown(() => { for (const s of silent.sockets) s.destroy(); silent.server.close(); });
  const reg = new Registry();
  const c = new RedisClient(config(silent.address, { read_timeout: '200ms', max_async_buffer_size: 1, max_async_concurrency: 1 }), { name: 'full', registry: reg });
  t.teardown(() => c.close());
  for (let i = 0; i < 10; i++) c.setAsync(`q:${i}`, enc('v'), 60_000);
  c.deleteAsync('q:0');
  t.equal(await counter(reg, 'athanor_redis_operation_skipped_total', { name: 'full', operation: 'set', reason: 'queue_full' }), 8, 'one running, one waiting, 8 dropped');
  t.equal(await counter(reg, 'athanor_redis_operation_skipped_total', { name: 'full', operation: 'delete', reason: 'queue_full' }), 1);
  await c.flush();
  t.ok(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'full', operation: 'set', reason: 'timeout' }) >= 1, 'the sent sets timed out');
});

t.test('waiting sets are pipelined together (set_multi_batch_size bounds a pipeline)', async (t) => {
  const srv = await startRedis();
  t.teardown(() => srv.stop());
  const reg = new Registry();
  const c = new RedisClient(config(srv.address, { max_async_concurrency: 1, set_multi_batch_size: 3 }), { name: 'pipe', registry: reg });
  t.teardown(() => c.close());
  for (let i = 0; i < 10; i++) c.setAsync(`p:${i}`, enc(`v${i}`), 60_000);
  await c.flush();
  const got = await c.getMulti(Array.from({ length: 10 }, (_, i) => `p:${i}`));
  t.equal(got.size, 10);
  t.equal(await counter(reg, 'athanor_redis_operations_total', { name: 'pipe', operation: 'set' }), 10, 'one operation per SET');
  const m = reg.getSingleMetric('athanor_redis_operation_duration_seconds');
  const { values } = await m!.get();
  const pipelines = values.find((v) => (v as { metricName?: string }).metricName === 'athanor_redis_operation_duration_seconds_count' && v.labels.operation === 'set')?.value;
  t.equal(pipelines, 4, 'first set alone (queue idle), the 9 that waited in pipelines of 3');
});

t.test('close is idempotent; afterwards reads are empty and writes skipped', async (t) => {
  const srv = await startRedis();
  t.teardown(() => srv.stop());
  const reg = new Registry();
  const c = new RedisClient(config(srv.address), { name: 'close', registry: reg });
  c.setAsync('c:k', enc('v'), 60_000);
  const first = c.close();
  t.equal(c.close(), first, 'same promise');
  await first;
  await c.close();
  const peek = new RedisClient(config(srv.address), { name: 'peek' });
  t.equal(dec((await peek.getMulti(['c:k'])).get('c:k')), 'v', 'queued write finished before close');
  await peek.close();
  t.equal((await c.getMulti(['c:k'])).size, 0);
  c.setAsync('c:k2', enc('v'), 60_000);
  c.deleteAsync('c:k');
  t.equal(await counter(reg, 'athanor_redis_operation_skipped_total', { name: 'close', reason: 'closed' }), 2);
  t.equal(c.openConnections, 0);
});

t.test('TLS: an unreadable file is a CacheConfigError at construction', async (t) => {
  const cfg = config('127.0.0.1:6379', { tls_enabled: true, tls_config: { ca_file: '/nonexistent/ca.pem' } });
  t.throws(() => new RedisClient(cfg, { name: 'tls' }), CacheConfigError);
  const halves = config('127.0.0.1:6379', { tls_enabled: true, tls_config: { cert_file: '/etc/hostname' } });
  t.throws(() => new RedisClient(halves, { name: 'tls' }), CacheConfigError, 'cert without key');
});

t.test('TLS: round trip against a TLS-only redis-server; an unverifiable certificate is a connect failure', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'athanor-redis-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  const srv = await startRedis({ tls: { certFile, keyFile } });
  t.teardown(() => srv.stop());
  const reg = new Registry();
  const ok = new RedisClient(config(srv.address, { tls_enabled: true, tls_config: { ca_file: certFile, server_name: 'localhost' } }), { name: 'tls', registry: reg });
  const skip = new RedisClient(config(srv.address, { tls_enabled: true, tls_config: { insecure_skip_verify: true } }), { name: 'skip', registry: reg });
  const untrusting = new RedisClient(config(srv.address, { tls_enabled: true, tls_config: { server_name: 'localhost' } }), { name: 'untrusting', registry: reg });
  const plain = new RedisClient(config(srv.address, { read_timeout: '300ms' }), { name: 'plain', registry: reg });
  t.teardown(async () => { await Promise.all([ok.close(), skip.close(), untrusting.close(), plain.close()]); });
  ok.setAsync('tls:k', enc('secret'), 60_000);
  await ok.flush();
  t.equal(dec((await ok.getMulti(['tls:k'])).get('tls:k')), 'secret');
  t.equal(dec((await skip.getMulti(['tls:k'])).get('tls:k')), 'secret', 'insecure_skip_verify');
  t.equal((await untrusting.getMulti(['tls:k'])).size, 0, 'self-signed certificate without ca_file: a miss');
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'untrusting', reason: 'connect' }), 1);
  t.equal((await plain.getMulti(['tls:k'])).size, 0, 'plain TCP to a TLS port: a miss');
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'plain', operation: 'getmulti' }), 1);
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'tls' }), 0);
});
