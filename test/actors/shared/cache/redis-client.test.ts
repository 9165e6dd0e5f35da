import t from 'tap';
import { connect } from 'node:net';
import { Registry } from 'prom-client';
import { RedisClient } from '../../../../actors/shared/cache/redis/client.js';
import { redisClientConfigFrom, type RedisClientConfig } from '../../../../actors/shared/cache/redis/config.js';
import { RedisConnection } from '../../../../actors/shared/cache/redis/connection.js';
import { RedisPool } from '../../../../actors/shared/cache/redis/pool.js';
import { encodeCommand, RespParser, type RespReply } from '../../../../actors/shared/cache/redis/resp.js';
import { startRedis, type RedisServer } from '../../../harness/redis.js';
import { checkBinaryRoundTrip, counter, dec, enc } from './helpers.js';

function config(addr: string, extra: Record<string, unknown> = {}): RedisClientConfig {
  return redisClientConfigFrom({ addr, ...extra }, 'test');
}

/** Sends raw commands on a fresh connection and returns their replies (independent of the client under test). */
export async function raw(port: number, commands: Array<Array<string | Uint8Array>>): Promise<RespReply[]> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    const p = new RespParser();
    const out: RespReply[] = [];
    s.once('error', reject);
    s.on('data', (chunk: Buffer) => {
      p.push(chunk);
      for (let r = p.next(); r !== undefined; r = p.next()) {
        if (r.type === 'protocol_error') { s.destroy(); reject(new Error(r.message)); return; }
        out.push(r);
      }
      if (out.length === commands.length) { s.destroy(); resolve(out); }
    });
    s.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
  });
}

let srv: RedisServer;
t.before(async () => { srv = await startRedis(); });
t.teardown(async () => { await srv.stop(); });

t.test('binary values round trip: every byte, CRLF inside, empty, 1 MiB', async (t) => {
  const c = new RedisClient(config(srv.address), { name: 't' });
  t.teardown(() => c.close());
  await checkBinaryRoundTrip(t, c, 'a\r\n$-1\r\n*2\r\n+OK\r\n');
  const [r] = await raw(srv.port, [['STRLEN', 'rt:big']]);
  t.same(r, { type: 'integer', value: 1024 * 1024 }, 'the server holds the exact bytes');
});

t.test('MGET batches (2 keys, one at a time) give the same result as one MGET', async (t) => {
  const reg = new Registry();
  const one = new RedisClient(config(srv.address), { name: 'one', registry: reg });
  const batched = new RedisClient(config(srv.address, { get_multi_batch_size: 2, max_get_multi_concurrency: 1 }), { name: 'batched', registry: reg });
  t.teardown(async () => { await Promise.all([one.close(), batched.close()]); });
  const keys = Array.from({ length: 7 }, (_, i) => `mget:${i}`);
  for (const k of keys.slice(0, 6)) one.setAsync(k, enc(`v-${k}`), 60_000);
  await one.flush();
  const asked = [...keys, 'mget:0'];
  const a = await one.getMulti(asked);
  const b = await batched.getMulti(asked);
  t.equal(a.size, 6);
  t.same([...b.entries()].sort().map(([k, v]) => [k, dec(v)]), [...a.entries()].sort().map(([k, v]) => [k, dec(v)]));
  t.ok(keys.slice(0, 6).every((k) => dec(b.get(k)) === `v-${k}`), 'values match keys');
  t.equal(await counter(reg, 'athanor_redis_operations_total', { name: 'batched', operation: 'getmulti' }), 4, '7 distinct keys in batches of 2: 4 MGETs');
  t.equal(await counter(reg, 'athanor_redis_operations_total', { name: 'one', operation: 'getmulti' }), 1);
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', {}), 0);
});

t.test('ttl: SET … PX ttl (PTTL close to it); ttl 0 stores nothing', async (t) => {
  const c = new RedisClient(config(srv.address), { name: 'ttl' });
  t.teardown(() => c.close());
  c.setAsync('ttl:a', enc('x'), 60_000);
  c.setAsync('ttl:b', enc('y'), 1500.2);
  c.setAsync('ttl:zero', enc('z'), 0);
  await c.flush();
  const [a, b, z] = await raw(srv.port, [['PTTL', 'ttl:a'], ['PTTL', 'ttl:b'], ['EXISTS', 'ttl:zero']]);
  t.ok(a?.type === 'integer' && a.value > 50_000 && a.value <= 60_000, `PTTL ${JSON.stringify(a)} ≈ 60000`);
  t.ok(b?.type === 'integer' && b.value > 500 && b.value <= 1501, `PTTL ${JSON.stringify(b)} ≈ 1501 (rounded up)`);
  t.same(z, { type: 'integer', value: 0 });
});

t.test('delete removes the key', async (t) => {
  const c = new RedisClient(config(srv.address), { name: 'del' });
  t.teardown(() => c.close());
  c.setAsync('del:a', enc('x'), 60_000);
  c.setAsync('del:b', enc('y'), 60_000);
  await c.flush();
  c.deleteAsync('del:a');
  c.deleteAsync('del:never-set');
  await c.flush();
  t.same([...(await c.getMulti(['del:a', 'del:b'])).keys()], ['del:b']);
});

t.test('db: keys land in the selected database', async (t) => {
  const c = new RedisClient(config(srv.address, { db: 3 }), { name: 'db' });
  t.teardown(() => c.close());
  c.setAsync('db:k', enc('in-3'), 60_000);
  await c.flush();
  t.equal(dec((await c.getMulti(['db:k'])).get('db:k')), 'in-3');
  const [sel, got] = await raw(srv.port, [['SELECT', '3'], ['GET', 'db:k']]);
  t.same(sel, { type: 'simple', value: 'OK' });
  t.equal(got?.type === 'bulk' && got.value !== null ? dec(got.value) : undefined, 'in-3');
  const [in0] = await raw(srv.port, [['GET', 'db:k']]);
  t.same(in0, { type: 'bulk', value: null }, 'not in db 0');
});

t.test('password: AUTH on connect; a wrong password means misses and counted failures', async (t) => {
  const locked = await startRedis({ password: 's3cret' });
  t.teardown(() => locked.stop());
  const reg = new Registry();
  const good = new RedisClient(config(locked.address, { password: 's3cret', db: 2 }), { name: 'good', registry: reg });
  const bad = new RedisClient(config(locked.address, { password: 'nope' }), { name: 'bad', registry: reg });
  const none = new RedisClient(config(locked.address), { name: 'none', registry: reg });
  t.teardown(async () => { await Promise.all([good.close(), bad.close(), none.close()]); });
  good.setAsync('pw:k', enc('v'), 60_000);
  await good.flush();
  t.equal(dec((await good.getMulti(['pw:k'])).get('pw:k')), 'v');
  t.equal((await bad.getMulti(['pw:k'])).size, 0, 'wrong password: a miss');
  bad.setAsync('pw:other', enc('w'), 60_000);
  await bad.flush();
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'bad', operation: 'getmulti', reason: 'server' }), 1);
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'bad', operation: 'set', reason: 'server' }), 1);
  t.equal((await none.getMulti(['pw:k'])).size, 0, 'no password: MGET refused (NOAUTH), a miss');
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'none', operation: 'getmulti', reason: 'server' }), 1);
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'good' }), 0);
});

t.test('an error reply fails its own command only; the pipelined ones and the connection go on', async (t) => {
  const conn = await RedisConnection.open({ host: '127.0.0.1', port: srv.port, username: '', password: '', db: 0, dialTimeoutMs: 5000 });
  t.teardown(() => conn.destroy());
  const timeouts = { writeTimeoutMs: 5000, readTimeoutMs: 5000 };
  const replies = await conn.send([encodeCommand(['SET', 'err:x', 'abc']), encodeCommand(['INCR', 'err:x']), encodeCommand(['GET', 'err:x'])], timeouts);
  t.equal(replies.length, 3);
  t.same(replies[0], { type: 'simple', value: 'OK' });
  t.match(replies[1], { type: 'error', message: /not an integer/ });
  t.equal(replies[2]?.type === 'bulk' && replies[2].value !== null ? dec(replies[2].value) : undefined, 'abc');
  t.ok(conn.alive);
  t.same(await conn.send([encodeCommand(['PING'])], timeouts), [{ type: 'simple', value: 'PONG' }]);

  const reg = new Registry();
  const c = new RedisClient(config(srv.address), { name: 'oom', registry: reg });
  t.teardown(() => c.close());
  await raw(srv.port, [['CONFIG', 'SET', 'maxmemory', '1']]);
  try {
    c.setAsync('oom:a', enc('x'), 60_000);
    c.setAsync('oom:b', enc('y'), 60_000);
    await c.flush();
  } finally {
    await raw(srv.port, [['CONFIG', 'SET', 'maxmemory', '0']]);
  }
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', { name: 'oom', operation: 'set', reason: 'server' }), 2, '-OOM replies counted as server failures');
  c.setAsync('oom:c', enc('z'), 60_000);
  await c.flush();
  t.equal(dec((await c.getMulti(['oom:c'])).get('oom:c')), 'z', 'the same connections still work');
});

t.test('the pool never opens more than pool_size connections', async (t) => {
  const w = new RedisClient(config(srv.address), { name: 'writer' });
  w.setAsync('pool:0', enc('v'), 60_000);
  await w.close();
  const c = new RedisClient(config(srv.address, { pool_size: 2, get_multi_batch_size: 1, max_get_multi_concurrency: 0 }), { name: 'pool' });
  t.teardown(() => c.close());
  const keys = Array.from({ length: 50 }, (_, i) => `pool:${i}`);
  const got = await Promise.all([c.getMulti(keys), c.getMulti(keys)]);
  t.same(got.map((m) => m.size), [1, 1]);
  t.equal(c.openConnections, 2, '100 MGETs at once from a cold pool: 2 connections, the rest pipelined');
});

t.test('reaper: idle connections past idle_timeout close down to min_idle_conns; max_conn_age closes the rest', async (t) => {
  const dial = (): Promise<RedisConnection> => RedisConnection.open({ host: '127.0.0.1', port: srv.port, username: '', password: '', db: 0, dialTimeoutMs: 5000 });
  const pool = new RedisPool(dial, { poolSize: 3, minIdleConns: 1, idleTimeoutMs: 60_000, maxConnAgeMs: 3_600_000 });
  t.teardown(() => pool.close());
  const timeouts = { writeTimeoutMs: 5000, readTimeoutMs: 5000 };
  const conns = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()]);
  t.equal(pool.open, 3, 'four acquires from a cold pool of 3: 3 dials, one waits for a dial');
  t.equal(new Set(conns).size, 3);
  await Promise.all(conns.map((c) => c.send([encodeCommand(['PING'])], timeouts)));
  pool.reap(Date.now());
  t.equal(pool.open, 3, 'nothing idle long enough');
  pool.reap(Date.now() + 60_001);
  t.equal(pool.open, 1, 'idle ones closed down to min_idle_conns');
  const kept = await pool.acquire();
  t.ok(kept.alive && conns.includes(kept), 'the kept connection is handed out again');
  pool.reap(Date.now() + 3_600_001);
  t.equal(pool.open, 0, 'past max_conn_age even the last idle one closes');
  const fresh = await pool.acquire();
  t.same(await fresh.send([encodeCommand(['PING'])], timeouts), [{ type: 'simple', value: 'PONG' }], 'a new one is dialled');
  pool.close();
  pool.close();
  await t.rejects(pool.acquire(), /client closed/);
  t.notOk(fresh.alive, 'close destroys open connections');
});

t.test('prefix: redis sees prefix + key; getMulti and delete map back to the caller\'s keys', async (t) => {
  const c = new RedisClient(config(srv.address, { prefix: 'athanor-test:' }), { name: 'pfx' });
  t.teardown(() => c.close());
  c.setAsync('k1', enc('v1'), 60_000);
  await c.flush();
  const [direct, bare] = await raw(srv.port, [['GET', 'athanor-test:k1'], ['GET', 'k1']]);
  t.same(direct, { type: 'bulk', value: Buffer.from('v1') }, 'stored under the prefixed key');
  t.same(bare, { type: 'bulk', value: null }, 'not under the bare key');
  t.same([...(await c.getMulti(['k1', 'k2'])).entries()].map(([k, v]) => [k, dec(v)]), [['k1', 'v1']]);
  c.deleteAsync('k1');
  await c.flush();
  t.same((await raw(srv.port, [['EXISTS', 'athanor-test:k1']]))[0], { type: 'integer', value: 0 }, 'deleted with the prefix');
});

t.test('circuit breaker: a dead server trips it, writes are skipped circuit_open; restart + open_duration → stored again', async (t) => {
  const own = await startRedis();
  t.teardown(() => own.stop());
  const reg = new Registry();
  // failure_percent 1: consecutive failures decide (the default 0.05 trips on the first failure after one success).
  const c = new RedisClient(config(own.address, {
    dial_timeout: '2s', read_timeout: '2s', max_async_concurrency: 1, set_multi_batch_size: 1,
    set_async_circuit_breaker_config: { enabled: true, min_requests: 2, consecutive_failures: 2, failure_percent: 1, open_duration: '300ms', half_open_max_requests: 1 },
  }), { name: 'brk', registry: reg });
  t.teardown(() => c.close());
  const set = { name: 'brk', operation: 'set' };
  c.setAsync('a', enc('1'), 60_000);
  await c.flush();
  await own.stop();
  c.setAsync('b', enc('2'), 60_000);
  await c.flush();
  c.setAsync('c', enc('3'), 60_000);
  await c.flush();
  const sent = await counter(reg, 'athanor_redis_operations_total', set);
  t.equal(await counter(reg, 'athanor_redis_operation_failures_total', set), 2, 'two failed writes');
  for (let i = 0; i < 4; i++) { c.setAsync(`open${i}`, enc('x'), 60_000); await c.flush(); }
  t.equal(await counter(reg, 'athanor_redis_operation_skipped_total', { ...set, reason: 'circuit_open' }), 4, 'open: writes skipped');
  t.equal(await counter(reg, 'athanor_redis_operations_total', set), sent, 'and not sent');
  await own.restart();
  await new Promise((r) => setTimeout(r, 350));
  c.setAsync('back', enc('4'), 60_000);
  await c.flush();
  c.setAsync('after', enc('5'), 60_000);
  await c.flush();
  t.same([...(await c.getMulti(['back', 'after'])).values()].map(dec), ['4', '5'], 'half-open write stored, then closed again');
  t.equal(await counter(reg, 'athanor_redis_operation_skipped_total', { ...set, reason: 'circuit_open' }), 4, 'no more skips');
});
