import t from 'tap';
import { createServer, type Socket } from 'node:net';
import { Registry } from 'prom-client';
import { MemcachedClient } from '../../../../actors/shared/cache/memcached/client.js';
import { MemcachedConnection } from '../../../../actors/shared/cache/memcached/connection.js';
import { memcachedClientConfigFrom, type MemcachedClientConfig } from '../../../../actors/shared/cache/memcached/config.js';
import { startMemcached, type MemcachedServer } from '../../../harness/memcached.js';
import { freePort } from '../../../harness/ports.js';
import { createLogger } from '../../../../runtime/log/logger.js';
import { checkBinaryRoundTrip, counter, dec, enc } from './helpers.js';

function config(addresses: string[], extra: Record<string, unknown> = {}): MemcachedClientConfig {
  return memcachedClientConfigFrom({ addresses, ...extra }, 'test');
}

let a: MemcachedServer;
let b: MemcachedServer;
t.before(async () => { [a, b] = await Promise.all([startMemcached({ maxItemSize: '2m' }), startMemcached({ maxItemSize: '2m' })]); });
t.teardown(async () => { await Promise.all([a.stop(), b.stop()]); });

t.test('binary values round trip: every byte, CRLF inside, empty, 1 MiB', async (t) => {
  const c = new MemcachedClient(config([a.address], { max_item_size: '2MiB' }), { name: 't' });
  t.teardown(() => c.close());
  await checkBinaryRoundTrip(t, c, 'a\r\nEND\r\nVALUE x 0 1\r\n');
});

t.test('getMulti over 2 servers spreads keys (each server holds some), batching gives the same result', async (t) => {
  const reg = new Registry();
  const both = new MemcachedClient(config([b.address, a.address]), { name: 'spread', registry: reg });
  const onlyA = new MemcachedClient(config([a.address]), { name: 'a' });
  const onlyB = new MemcachedClient(config([b.address]), { name: 'b' });
  const batched = new MemcachedClient(config([a.address, b.address], { max_get_multi_batch_size: 2, max_get_multi_concurrency: 1 }), { name: 'batched', registry: reg });
  t.teardown(async () => { await Promise.all([both.close(), onlyA.close(), onlyB.close(), batched.close()]); });
  t.same(await both.servers(), [a.address, b.address].sort(), 'servers sorted');
  const keys = Array.from({ length: 40 }, (_, i) => `spread:${i}`);
  for (const k of keys) both.setAsync(k, enc(`v-${k}`), 60_000);
  await both.flush();
  const all = await both.getMulti(keys);
  t.equal(all.size, keys.length);
  t.ok(keys.every((k) => dec(all.get(k)) === `v-${k}`), 'values match keys');
  const [inA, inB] = [await onlyA.getMulti(keys), await onlyB.getMulti(keys)];
  t.ok(inA.size > 0 && inB.size > 0, `both servers hold keys (${inA.size} / ${inB.size})`);
  t.equal(inA.size + inB.size, keys.length, 'each key on exactly one server');
  const seven = keys.slice(0, 7);
  const before = await counter(reg, 'athanor_memcached_operations_total', { name: 'batched', operation: 'getmulti' });
  const viaBatches = await batched.getMulti(seven);
  t.same([...viaBatches.keys()].sort(), [...seven].sort());
  t.ok(seven.every((k) => dec(viaBatches.get(k)) === `v-${k}`));
  const sent = (await counter(reg, 'athanor_memcached_operations_total', { name: 'batched', operation: 'getmulti' })) - before;
  t.ok(sent >= 4 && sent <= 5, `7 keys in batches of 2 over 2 servers: 4-5 requests (${sent})`);
});

t.test('ttl: 1 s items are gone after ~2.1 s; longer ones stay', async (t) => {
  const c = new MemcachedClient(config([a.address]), { name: 'ttl' });
  t.teardown(() => c.close());
  c.setAsync('ttl:short', enc('x'), 1000);
  c.setAsync('ttl:long', enc('y'), 60_000);
  c.setAsync('ttl:zero', enc('z'), 0);
  await c.flush();
  t.same([...(await c.getMulti(['ttl:short', 'ttl:long', 'ttl:zero'])).keys()].sort(), ['ttl:long', 'ttl:short'], 'ttl 0 stores nothing');
  await new Promise((r) => setTimeout(r, 2100));
  t.same([...(await c.getMulti(['ttl:short', 'ttl:long'])).keys()], ['ttl:long']);
});

t.test('max_item_size skips (counted); delete removes', async (t) => {
  const reg = new Registry();
  const c = new MemcachedClient(config([a.address], { max_item_size: 10 }), { name: 'mis', registry: reg });
  t.teardown(() => c.close());
  c.setAsync('mis:big', new Uint8Array(11), 60_000);
  c.setAsync('mis:ok', new Uint8Array(10), 60_000);
  await c.flush();
  t.equal(await counter(reg, 'athanor_memcached_operation_skipped_total', { operation: 'set', reason: 'max_item_size' }), 1);
  t.same([...(await c.getMulti(['mis:big', 'mis:ok'])).keys()], ['mis:ok']);
  c.deleteAsync('mis:ok');
  c.deleteAsync('mis:never-set');
  await c.flush();
  t.equal((await c.getMulti(['mis:ok'])).size, 0);
  t.equal(await counter(reg, 'athanor_memcached_operation_failures_total', {}), 0, 'NOT_FOUND is not a failure');
  t.throws(() => c.setAsync('has space', enc('x'), 1000), { code: 'CACHE_BAD_KEY' });
});

t.test('a killed server gives misses and counted failures; after restart it is used again', async (t) => {
  const s = await startMemcached();
  t.teardown(() => s.stop());
  const reg = new Registry();
  const c = new MemcachedClient(config([s.address], { timeout: '1s' }), { name: 'crash', registry: reg });
  t.teardown(() => c.close());
  c.setAsync('crash:k', enc('v'), 60_000);
  await c.flush();
  t.equal((await c.getMulti(['crash:k'])).size, 1, 'hit before the crash');
  await s.stop();
  t.equal((await c.getMulti(['crash:k'])).size, 0, 'miss while down');
  t.equal((await c.getMulti(['crash:k'])).size, 0, 'miss while down (fresh connect refused)');
  t.ok(await counter(reg, 'athanor_memcached_operation_failures_total', { operation: 'getmulti', reason: 'connect' }) >= 1, 'connect failures counted');
  await s.restart();
  c.setAsync('crash:k', enc('again'), 60_000);
  await c.flush();
  t.equal(dec((await c.getMulti(['crash:k'])).get('crash:k')), 'again', 'hit after restart');
});

t.test('a server that accepts and never answers: misses after about the timeout, reason timeout', async (t) => {
  const sockets: Socket[] = [];
  const closed: Array<Promise<void>> = [];
  const mute = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    s.resume(); // read (and ignore) requests, so the client's FIN is seen
    closed.push(new Promise((r) => s.once('close', () => r())));
  });
  await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
  t.teardown(() => { for (const s of sockets) s.destroy(); mute.close(); });
  const port = (mute.address() as { port: number }).port;
  const reg = new Registry();
  const c = new MemcachedClient(config([`127.0.0.1:${port}`], { timeout: '300ms' }), { name: 'mute', registry: reg });
  t.teardown(() => c.close());
  const t0 = Date.now();
  const got = await c.getMulti(['mute:a', 'mute:b']);
  const took = Date.now() - t0;
  t.equal(got.size, 0);
  t.ok(took >= 250 && took < 2000, `resolved after ${took} ms`);
  t.equal(await counter(reg, 'athanor_memcached_operation_failures_total', { operation: 'getmulti', reason: 'timeout' }), 1);
  t.equal(sockets.length, 1, 'one connection was made');
  await Promise.all(closed);
  t.pass('the timed-out connection was closed by the client (its stream state is unknown)');
});

t.test('queue full → skipped queue_full; close is idempotent and drops later writes', async (t) => {
  const reg = new Registry();
  const c = new MemcachedClient(config([a.address], { max_async_buffer_size: 1, max_async_concurrency: 1 }), { name: 'q', registry: reg });
  for (let i = 0; i < 10; i++) c.setAsync(`q:${i}`, enc('v'), 60_000);
  t.equal(await counter(reg, 'athanor_memcached_operation_skipped_total', { reason: 'queue_full' }), 8, 'one running, one buffered, eight refused');
  await c.flush();
  t.equal((await c.getMulti(['q:0', 'q:1', 'q:2'])).size, 2);
  await Promise.all([c.close(), c.close()]);
  await c.close();
  c.setAsync('q:late', enc('v'), 60_000);
  c.deleteAsync('q:0');
  t.equal(await counter(reg, 'athanor_memcached_operation_skipped_total', { reason: 'closed' }), 2);
  t.equal((await c.getMulti(['q:0'])).size, 0, 'closed client resolves empty');
  const other = new MemcachedClient(config([a.address]), { name: 'q2' });
  t.teardown(() => other.close());
  t.same([...(await other.getMulti(['q:0', 'q:late'])).keys()], ['q:0'], 'late writes never reached the server');
});

t.test('connections per server are bounded by the pool; concurrent batches wait for a free one', async (t) => {
  const s = await startMemcached();
  t.teardown(() => s.stop());
  const reg = new Registry();
  const realOpen = MemcachedConnection.open;
  let dials = 0;
  MemcachedConnection.open = (host, port, deadline) => { dials++; return realOpen.call(MemcachedConnection, host, port, deadline); };
  t.teardown(() => { MemcachedConnection.open = realOpen; });
  const c = new MemcachedClient(config([s.address], { max_idle_connections: 2, max_get_multi_batch_size: 1, max_get_multi_concurrency: 0, timeout: '5s' }), { name: 'pool', registry: reg });
  t.teardown(() => c.close());
  const keys = Array.from({ length: 20 }, (_, i) => `pool:${i}`);
  for (const k of keys) c.setAsync(k, enc(k), 60_000); // 20 concurrent async writes
  await c.flush();
  const got = await c.getMulti(keys);
  t.equal(got.size, 20, '20 single-key batches all answered');
  t.equal(await counter(reg, 'athanor_memcached_operation_failures_total', {}), 0);
  t.ok(dials >= 1 && dials <= 2, `at most 2 connections were dialled for 20 concurrent writes and 20 concurrent batches (${dials})`);
});

t.test('backend failures are logged at warn at most once per second per client, never per key', async (t) => {
  const port = await freePort(); // nothing listens: every request is refused
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', format: 'json', destination: { write: (l: string) => { lines.push(l); } } });
  const reg = new Registry();
  const c = new MemcachedClient(config([`127.0.0.1:${port}`]), { name: 'logged', registry: reg, logger });
  t.teardown(() => c.close());
  const t0 = Date.now();
  for (let i = 0; i < 10; i++) t.equal((await c.getMulti([`log:${i}:a`, `log:${i}:b`, `log:${i}:c`])).size, 0);
  const seconds = Math.floor((Date.now() - t0) / 1000);
  t.equal(await counter(reg, 'athanor_memcached_operation_failures_total', { operation: 'getmulti', reason: 'connect' }), 10, 'one failure per request');
  t.ok(lines.length >= 1 && lines.length <= 1 + seconds, `${lines.length} warn lines for 10 failed requests of 3 keys`);
  const rec = JSON.parse(lines[0]!) as Record<string, unknown>;
  t.match(rec, { level: 'warn', component: 'memcached', cache: 'logged', reason: 'connect' });
});
