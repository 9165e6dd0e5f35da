import type { Counter, Gauge, Histogram } from 'prom-client';
import type { Piscina } from 'piscina';
import { metricsFor, type Registry } from '../metrics/registry.js';

/** Worker pool metrics (see docs/metrics.md), labelled by pool and task name. */
export class WorkerMetrics {
  readonly tasks: Counter<'pool' | 'task' | 'outcome'>;
  readonly duration: Histogram<'pool' | 'task'>;
  readonly #queue: Gauge<'pool'>;
  readonly #threads: Gauge<'pool'>;

  constructor(registry: Registry, readonly pool: string) {
    const m = metricsFor(registry);
    this.tasks = m.counter({ name: 'athanor_worker_tasks_total', help: 'Worker tasks by outcome (ok, error, cancelled, rejected).', labelNames: ['pool', 'task', 'outcome'] });
    this.duration = m.histogram({
      name: 'athanor_worker_task_duration_seconds', help: 'Time from submitting a worker task to its result, queueing included.', labelNames: ['pool', 'task'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    });
    this.#queue = m.gauge({ name: 'athanor_worker_queue_depth', help: 'Worker tasks waiting for a thread (sampled on submit and settle).', labelNames: ['pool'] });
    this.#threads = m.gauge({ name: 'athanor_worker_threads', help: 'Worker threads alive (sampled on submit and settle).', labelNames: ['pool'] });
  }

  /** Samples the pool's queue depth and thread count. */
  sample(p: Piscina): void {
    this.#queue.set({ pool: this.pool }, p.queueSize);
    this.#threads.set({ pool: this.pool }, p.threads.length);
  }

  closed(): void {
    this.#queue.set({ pool: this.pool }, 0);
    this.#threads.set({ pool: this.pool }, 0);
  }
}
