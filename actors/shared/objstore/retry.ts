import type { Readable } from 'node:stream';
import { isRetryable } from '../../../runtime/errors/coded-error.js';
import type { Bucket, IterOptions, ObjectAttributes, OpName, OpOptions, UploadBody } from './bucket.js';
import { isReplayable } from './body.js';
import { opScope, sleep as realSleep } from './deadline.js';
import { isObjectNotFound } from './errors.js';
import { compareNames } from './names.js';

export interface RetryOptions {
  /** Attempts per operation, first included (default 4). 1 disables retries. */
  readonly maxAttempts?: number;
  /** Backoff before retry n is uniform in [0, min(maxDelayMs, baseDelayMs·2^(n-1))] ("full jitter"). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Bounds each attempt of get_range/exists/attributes/upload/delete and the opening of get (default: none). */
  readonly attemptTimeoutMs?: number;
  /** Source of jitter in [0, 1) (default Math.random; tests pass a seeded one). */
  readonly random?: () => number;
  /** How to wait (default: a timer that the operation's signal cancels). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Called before each retry; metrics and logs hook in here. */
  readonly onRetry?: (op: OpName, name: string, attempt: number, err: unknown) => void;
}

/** The full-jitter backoff before retry number `retry` (1-based). */
export function backoffMs(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1)));
}

/**
 * Retries operations that fail with a retryable error (5xx, throttling, resets, timeouts) with jittered
 * exponential backoff; never retries not-found, bad input, 4xx or a cancelled/timed-out caller.
 * Uploads are retried only for bytes and file bodies (a stream is consumed by the first attempt);
 * `get` retries opening the object, not a stream that breaks later; `iter` resumes after the last
 * name it yielded. A delete retried after a lost response that then finds nothing counts as done.
 */
export class RetryingBucket implements Bucket {
  readonly name: string;
  readonly provider: Bucket['provider'];
  readonly #b: Bucket;
  readonly #max: number;
  readonly #base: number;
  readonly #cap: number;
  readonly #attemptMs: number | undefined;
  readonly #random: () => number;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #onRetry: RetryOptions['onRetry'];

  constructor(inner: Bucket, opts: RetryOptions = {}) {
    this.#b = inner;
    this.name = inner.name;
    this.provider = inner.provider;
    this.#max = Math.max(1, opts.maxAttempts ?? 4);
    this.#base = opts.baseDelayMs ?? 100;
    this.#cap = opts.maxDelayMs ?? 5000;
    this.#attemptMs = opts.attemptTimeoutMs;
    this.#random = opts.random ?? Math.random;
    this.#sleep = opts.sleep ?? realSleep;
    this.#onRetry = opts.onRetry;
  }

  async *iter(dir: string, o?: IterOptions): AsyncIterable<string> {
    const scope = opScope(o, `iter ${JSON.stringify(dir)}`);
    let last: string | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          for await (const n of this.#b.iter(dir, { recursive: o?.recursive, signal: scope.signal })) {
            if (last !== undefined && compareNames(n, last) <= 0) continue;
            last = n;
            yield n;
          }
          return;
        } catch (e) {
          await this.#backoffOrThrow('iter', dir, attempt, e, scope);
        }
      }
    } finally {
      scope.dispose();
    }
  }

  get(name: string, o?: OpOptions): Promise<Readable> {
    // The caller's signal (not the attempt's) must keep governing the returned stream.
    return this.#run('get', name, o, (a) => this.#b.get(name, { signal: o?.signal ?? a.signal, timeoutMs: a.timeoutMs }));
  }

  getRange(name: string, offset: number, length: number, o?: OpOptions): Promise<Uint8Array> {
    return this.#run('get_range', name, o, (a) => this.#b.getRange(name, offset, length, a));
  }

  exists(name: string, o?: OpOptions): Promise<boolean> {
    return this.#run('exists', name, o, (a) => this.#b.exists(name, a));
  }

  attributes(name: string, o?: OpOptions): Promise<ObjectAttributes> {
    return this.#run('attributes', name, o, (a) => this.#b.attributes(name, a));
  }

  upload(name: string, body: UploadBody, o?: OpOptions): Promise<void> {
    if (!isReplayable(body)) return this.#b.upload(name, body, o);
    return this.#run('upload', name, o, (a) => this.#b.upload(name, body, a));
  }

  delete(name: string, o?: OpOptions): Promise<void> {
    return this.#run('delete', name, o, async (a, attempt) => {
      try { await this.#b.delete(name, a); } catch (e) {
        if (attempt > 1 && isObjectNotFound(e)) return;
        throw e;
      }
    });
  }

  close(): Promise<void> { return this.#b.close(); }

  async #run<T>(op: OpName, name: string, o: OpOptions | undefined, fn: (a: OpOptions, attempt: number) => Promise<T>): Promise<T> {
    const scope = opScope(o, `${op} ${JSON.stringify(name)}`);
    try {
      for (let attempt = 1; ; attempt++) {
        const early = scope.abortError();
        if (early !== undefined) throw early;
        try {
          return await fn({ signal: scope.signal, timeoutMs: this.#attemptMs }, attempt);
        } catch (e) {
          await this.#backoffOrThrow(op, name, attempt, e, scope);
        }
      }
    } finally {
      scope.dispose();
    }
  }

  async #backoffOrThrow(op: OpName, name: string, attempt: number, e: unknown, scope: ReturnType<typeof opScope>): Promise<void> {
    const aborted = scope.abortError();
    if (aborted !== undefined) throw aborted;
    if (!isRetryable(e) || attempt >= this.#max) throw e;
    this.#onRetry?.(op, name, attempt, e);
    try { await this.#sleep(backoffMs(attempt, this.#base, this.#cap, this.#random), scope.signal); } catch (err) {
      throw scope.abortError() ?? err;
    }
  }
}
