import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createRegistry, metricsFor } from '../../../runtime/metrics/registry.js';
import type { RemoteCacheBackend } from './remote-cache.js';

/** Operations of a remote cache client (the `operation` label). */
export type RemoteCacheOp = 'getmulti' | 'set' | 'delete';

/**
 * Metrics of one remote cache backend, named like Thanos's `thanos_memcached_*`:
 * `athanor_<backend>_operations_total{name,operation}`, `…_operation_failures_total{name,operation,reason}`
 * (reason: timeout, connect, server, protocol), `…_operation_skipped_total{name,operation,reason}`
 * (reason: max_item_size, queue_full, closed, circuit_open — an async write refused by the open
 * circuit breaker), `…_operation_duration_seconds{name,operation}`,
 * `…_async_queue_length{name}` and `…_async_queue_max_length{name}`. `name` tells the clients of one
 * process apart (`index-cache`, `caching-bucket`).
 */
export interface RemoteCacheMetrics {
  readonly operations: Counter<'name' | 'operation'>;
  readonly failures: Counter<'name' | 'operation' | 'reason'>;
  readonly skipped: Counter<'name' | 'operation' | 'reason'>;
  readonly duration: Histogram<'name' | 'operation'>;
  readonly queueLength: Gauge<'name'>;
  readonly queueMax: Gauge<'name'>;
}

/** The metrics of `backend` on `registry` (a private registry when none is given). */
export function remoteCacheMetrics(registry: Registry | undefined, backend: RemoteCacheBackend): RemoteCacheMetrics {
  const f = metricsFor(registry ?? createRegistry({ defaultMetrics: false }));
  const p = `athanor_${backend}`;
  const on = ['name', 'operation'] as const;
  return {
    operations: f.counter({ name: `${p}_operations_total`, help: `Operations sent to ${backend}.`, labelNames: on }),
    failures: f.counter({ name: `${p}_operation_failures_total`, help: `Operations to ${backend} that failed, by reason.`, labelNames: [...on, 'reason'] as const }),
    skipped: f.counter({ name: `${p}_operation_skipped_total`, help: `Operations not sent to ${backend}, by reason.`, labelNames: [...on, 'reason'] as const }),
    duration: f.histogram({ name: `${p}_operation_duration_seconds`, help: `Duration of operations against ${backend}.`, labelNames: on, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 3] }),
    queueLength: f.gauge({ name: `${p}_async_queue_length`, help: `Writes to ${backend} waiting in the async queue.`, labelNames: ['name'] as const }),
    queueMax: f.gauge({ name: `${p}_async_queue_max_length`, help: `Bound of the async write queue to ${backend}.`, labelNames: ['name'] as const }),
  };
}
