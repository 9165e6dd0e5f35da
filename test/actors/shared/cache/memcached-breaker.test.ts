import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { MemcachedClient } from '../../../../actors/shared/cache/memcached/client.js';
import { memcachedClientConfigFrom } from '../../../../actors/shared/cache/memcached/config.js';
import { startMemcached } from '../../../harness/memcached.js';
import { createLogger } from '../../../../runtime/log/logger.js';
import { counter, dec, enc } from './helpers.js';

t.test('circuit breaker: killed server trips it, writes are skipped circuit_open (not sent); after restart + open_duration writes are stored again', async (t) => {
  const srv = await startMemcached();
  t.teardown(() => srv.stop());
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', format: 'json', destination: { write: (l: string) => { lines.push(l); } } });
  const reg = new Registry();
  // failure_percent 1: only consecutive failures trip it here (the default 0.05 would trip on the first failure after one success).
  const cfg = memcachedClientConfigFrom({
    addresses: [srv.address], timeout: '2s', max_async_concurrency: 1,
    set_async_circuit_breaker_config: { enabled: true, min_requests: 2, consecutive_failures: 2, failure_percent: 1, open_duration: '300ms', half_open_max_requests: 1 },
  }, 'test');
  const c = new MemcachedClient(cfg, { name: 'brk', registry: reg, logger });
  t.teardown(() => c.close());
  const labels = { name: 'brk', operation: 'set' };
  const t0 = Date.now();

  c.setAsync('brk:a', enc('1'), 60_000);
  await c.flush();
  t.equal(dec((await c.getMulti(['brk:a'])).get('brk:a')), '1', 'stored while the server is up');

  await srv.stop();
  c.setAsync('brk:b', enc('2'), 60_000);
  c.setAsync('brk:c', enc('3'), 60_000);
  await c.flush();
  const failed = await counter(reg, 'athanor_memcached_operation_failures_total', labels);
  t.equal(failed, 2, 'two sets sent and failed');
  const sent = await counter(reg, 'athanor_memcached_operations_total', labels);
  t.equal(sent, 3);

  for (let i = 0; i < 5; i++) c.setAsync(`brk:open:${i}`, enc('x'), 60_000);
  c.deleteAsync('brk:a');
  await c.flush();
  t.equal(await counter(reg, 'athanor_memcached_operation_skipped_total', { ...labels, reason: 'circuit_open' }), 5, 'open: 5 sets skipped');
  t.equal(await counter(reg, 'athanor_memcached_operation_skipped_total', { name: 'brk', operation: 'delete', reason: 'circuit_open' }), 1, 'deletes too');
  t.equal(await counter(reg, 'athanor_memcached_operations_total', labels), sent, 'not sent');
  t.equal(await counter(reg, 'athanor_memcached_operation_failures_total', { name: 'brk' }), failed, 'not failed');
  t.equal((await c.getMulti(['brk:a'])).size, 0, 'reads still go to the (dead) server: a miss');
  t.equal(await counter(reg, 'athanor_memcached_operation_failures_total', { name: 'brk', operation: 'getmulti' }), 1, 'a read is sent (and fails), never refused');

  await srv.restart();
  await sleep(350);
  c.setAsync('brk:back', enc('4'), 60_000);
  await c.flush();
  t.equal(dec((await c.getMulti(['brk:back'])).get('brk:back')), '4', 'half-open: the write went through and was stored');
  c.setAsync('brk:after', enc('5'), 60_000);
  await c.flush();
  t.equal(dec((await c.getMulti(['brk:after'])).get('brk:after')), '5', 'closed again: writes stored');
  t.equal(await counter(reg, 'athanor_memcached_operation_skipped_total', { ...labels, reason: 'circuit_open' }), 5, 'no more skips');

  const recs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const changes = recs.filter((r) => r.msg === 'memcached async write circuit breaker changed state').map((r) => `${String(r.from)}->${String(r.to)}`);
  t.same(changes, ['closed->open', 'open->half-open', 'half-open->closed']);
  const warns = recs.filter((r) => r.level === 'warn').length;
  const seconds = Math.floor((Date.now() - t0) / 1000);
  t.ok(warns >= 1 && warns <= 1 + seconds, `${warns} warn lines in ${seconds} s for 2 failures and 6 refusals`);
});
