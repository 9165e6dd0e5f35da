/**
 * The bounded queue behind a remote cache's asynchronous writes (Thanos's `max_async_buffer_size`
 * and `max_async_concurrency`): at most `maxBuffered` jobs wait, at most `concurrency` run. A job
 * pushed onto a full (or closed) queue is refused — the caller counts the drop; writes to a cache
 * are an optimisation and never wait. Jobs must not reject (a rejection is swallowed: the job
 * itself reports its failure). Jobs run in push order; completion order is not defined.
 */
export class AsyncWriteQueue {
  readonly #maxBuffered: number;
  readonly #concurrency: number;
  readonly #waiting: Array<() => Promise<void>> = [];
  #running = 0;
  #closed = false;
  #idle: Array<() => void> = [];

  constructor(o: { readonly maxBuffered: number; readonly concurrency: number }) {
    this.#maxBuffered = Math.max(0, o.maxBuffered);
    this.#concurrency = Math.max(1, o.concurrency);
  }

  /** Jobs waiting to run (not counting the running ones). */
  get length(): number { return this.#waiting.length; }

  /** Jobs running now. */
  get running(): number { return this.#running; }

  /** Queues `job`; false when the queue is full or closed (the job will never run). */
  push(job: () => Promise<void>): boolean {
    if (this.#closed || this.#waiting.length >= this.#maxBuffered) return false;
    this.#waiting.push(job);
    this.#pump();
    return true;
  }

  /** Resolves once no job is waiting or running. */
  flush(): Promise<void> {
    if (this.#running === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => { this.#idle.push(resolve); });
  }

  /** Refuses new jobs, then waits for queued ones for at most `timeoutMs` (the rest never run). */
  async close(timeoutMs: number): Promise<void> {
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); })]);
    clearTimeout(timer);
    this.#waiting.length = 0;
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      this.#running++;
      void job().catch(() => undefined).finally(() => {
        this.#running--;
        this.#pump();
        if (this.#running === 0 && this.#waiting.length === 0) for (const f of this.#idle.splice(0)) f();
      });
    }
  }
}
