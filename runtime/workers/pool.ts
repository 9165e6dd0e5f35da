/**
 * WorkerPool: runs registered tasks on worker threads (piscina 5) with typed input and output.
 *
 * Contract of `run(name, input, { signal, transfer })`:
 * - resolves with the task's value; buffers the task moved with `transferOut` arrive without copy;
 * - buffers listed in `transfer` are moved to the worker (detached here, byteLength 0 after);
 * - rejects with QueueFullError (retryable) at once when `maxThreads + maxQueue` tasks are
 *   already submitted and not settled; with CancelledError when `signal` aborts (a running task's
 *   thread is terminated and replaced); with WorkerTaskError when the task throws (message and
 *   `code` of the original in `data`, the rebuilt coded error as `cause`) or its thread dies;
 *   with ClosedError after `close()`.
 */
import type { TransferListItem } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { fromWire, isWireError } from '../errors/coded-error.js';
import { CancelledError, ClosedError, ConfigError, QueueFullError, WorkerTaskError } from '../errors/runtime-errors.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { createRegistry, type Registry } from '../metrics/registry.js';
import { WorkerMetrics } from './metrics.js';
import type { TaskEnvelope } from './task.js';
import type { TaskIn, TaskOut, TaskRegistry } from './tasks.js';

export interface WorkerPoolOptions {
  /** Label of this pool in metrics and logs (default `default`). */
  readonly name?: string;
  /** Threads kept alive (default 2). */
  readonly minThreads?: number;
  /** Upper bound of threads (default 2; piscina's own default is 1.5 × CPUs). */
  readonly maxThreads?: number;
  /** Tasks that may wait beyond the running ones before QueueFullError (default 1000). */
  readonly maxQueue?: number;
  /** Idle threads above minThreads exit after this (default 30 s). */
  readonly idleTimeoutMs?: number;
  /** Overrides the threads' execArgv (default: inherited; `--import tsx` for .ts tasks when the process has no loader). */
  readonly execArgv?: readonly string[];
  readonly registry?: Registry;
  readonly log?: Logger;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Buffers (anywhere inside `input`) to move to the worker instead of copying. */
  readonly transfer?: readonly TransferListItem[];
}

export class WorkerPool<R extends TaskRegistry> {
  readonly name: string;
  readonly #tasks: R;
  readonly #piscina: Piscina;
  readonly #capacity: number;
  readonly #metrics: WorkerMetrics;
  readonly #log: Logger;
  #pending = 0;
  #closed = false;
  #closing: Promise<void> | undefined;
  #idle: (() => void) | undefined;

  constructor(tasks: R, opts: WorkerPoolOptions = {}) {
    this.name = opts.name ?? 'default';
    this.#tasks = tasks;
    const maxThreads = opts.maxThreads ?? 2;
    const minThreads = Math.min(opts.minThreads ?? 2, maxThreads);
    if (maxThreads < 1 || minThreads < 0) throw new ConfigError(`creating worker pool ${this.name}: need maxThreads ≥ 1, minThreads ≥ 0`);
    this.#capacity = maxThreads + (opts.maxQueue ?? 1000);
    this.#log = opts.log ?? silentLogger();
    const execArgv = opts.execArgv ?? threadExecArgv(Object.values(tasks).map((s) => s.module), process.execArgv);
    this.#piscina = new Piscina({
      minThreads, maxThreads, idleTimeout: opts.idleTimeoutMs ?? 30_000,
      ...(execArgv === undefined ? {} : { execArgv: [...execArgv] }),
      // Our own bound (#capacity) is checked before submitting, so piscina's queue never overflows.
      maxQueue: Number.MAX_SAFE_INTEGER,
    });
    this.#metrics = new WorkerMetrics(opts.registry ?? createRegistry({ defaultMetrics: false }), this.name);
  }

  /** Tasks submitted and not yet settled (running + queued). */
  get pending(): number { return this.#pending; }

  /** Runs task `name`; see the module comment for the contract. */
  async run<K extends keyof R & string>(name: K, input: TaskIn<R[K]>, o: RunOptions = {}): Promise<TaskOut<R[K]>> {
    const spec = this.#tasks[name];
    if (spec === undefined) throw new ConfigError(`running worker task ${name}: not registered in pool ${this.name}`);
    if (this.#closed) throw this.#count(name, 'rejected', new ClosedError(`running worker task ${name}: pool ${this.name} is closed`));
    if (o.signal?.aborted) throw this.#count(name, 'cancelled', new CancelledError(`running worker task ${name}: aborted before start`, { cause: o.signal.reason }));
    if (this.#pending >= this.#capacity) {
      throw this.#count(name, 'rejected', new QueueFullError(`queueing worker task ${name}: pool ${this.name} has ${this.#pending} tasks pending (limit ${this.#capacity})`, { data: { pool: this.name, task: name, limit: this.#capacity } }));
    }
    this.#pending++;
    const endTimer = this.#metrics.duration.startTimer({ pool: this.name, task: name });
    let result: unknown;
    try {
      const running = this.#piscina.run(input, {
        filename: spec.module, name: spec.exportName, signal: o.signal ?? null,
        transferList: o.transfer ? ([...o.transfer] as never) : undefined,
      });
      this.#metrics.sample(this.#piscina);
      result = await running;
    } catch (err) {
      if (o.signal?.aborted || (err instanceof Error && err.name === 'AbortError')) {
        throw this.#count(name, 'cancelled', new CancelledError(`running worker task ${name}: aborted`, { cause: o.signal?.reason ?? err }));
      }
      throw this.#count(name, 'error', new WorkerTaskError(`running worker task ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err, data: { pool: this.name, task: name } }));
    } finally {
      this.#pending--;
      endTimer();
      this.#metrics.sample(this.#piscina);
      if (this.#pending === 0) this.#idle?.();
    }
    return this.#unwrap(name, result) as TaskOut<R[K]>;
  }

  /**
   * Stops accepting tasks, waits until every submitted task (running or queued) settled, then
   * stops the threads. Idempotent. (Piscina's own close() would fail queued tasks that have no
   * thread yet, so the pool counts its tasks itself.)
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      if (this.#pending > 0) await new Promise<void>((resolve) => { this.#idle = resolve; });
      await this.#piscina.destroy();
      this.#metrics.closed();
    })();
    return this.#closing;
  }

  /** Stops at once: pending tasks reject, threads are terminated. */
  async destroy(): Promise<void> {
    this.#closed = true;
    await this.#piscina.destroy();
    this.#metrics.closed();
  }

  #unwrap(name: string, result: unknown): unknown {
    if (!isEnvelope(result)) {
      // A task exported without defineTask: its plain return value is the result.
      this.#metrics.tasks.inc({ pool: this.name, task: name, outcome: 'ok' });
      return result;
    }
    if (result.ok) {
      this.#metrics.tasks.inc({ pool: this.name, task: name, outcome: 'ok' });
      return result.value;
    }
    const e = result.error;
    const wire = { name: e.name, code: e.code ?? 'INTERNAL', message: e.message, retryable: e.retryable ?? false, ...(e.data ? { data: e.data } : {}) };
    const cause = e.code !== undefined && isWireError(wire) ? fromWire(wire) : Object.assign(new Error(e.message), { name: e.name, stack: e.stack });
    throw this.#count(name, 'error', new WorkerTaskError(`running worker task ${name}: ${e.message}`, {
      cause, retryable: e.retryable ?? false,
      data: { pool: this.name, task: name, errorName: e.name, ...(e.code !== undefined ? { code: e.code } : {}) },
    }));
  }

  #count<E>(task: string, outcome: 'error' | 'cancelled' | 'rejected', err: E): E {
    this.#metrics.tasks.inc({ pool: this.name, task, outcome });
    if (outcome === 'error') this.#log.debug({ err, task }, 'worker task failed');
    return err;
  }
}

function isEnvelope(x: unknown): x is TaskEnvelope<unknown> {
  return typeof x === 'object' && x !== null && (x as { __athanorTask?: unknown }).__athanorTask === 1;
}

/**
 * The execArgv to give threads, or undefined to inherit the parent's. Inheriting is the normal
 * case: under tsx or tap the parent's execArgv already carries the TypeScript loader (and Node
 * quietly ignores per-process flags such as `--openssl-legacy-provider` when inherited, but
 * rejects them when passed explicitly). Only .ts task modules in a process without any loader
 * (plain `node`) get an explicit `['--import', 'tsx']`.
 */
export function threadExecArgv(modules: readonly string[], parentExecArgv: readonly string[]): readonly string[] | undefined {
  const needsTs = modules.some((m) => /\.m?ts$/u.test(m));
  const hasLoader = parentExecArgv.some((a) => /^(--import|--loader|--experimental-loader|--require|-r)(=|$)/u.test(a));
  return needsTs && !hasLoader ? ['--import', 'tsx'] : undefined;
}
