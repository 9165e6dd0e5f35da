import { CancelledError } from '../../runtime/errors/runtime-errors.js';

/** A counting semaphore (FIFO). `acquire` resolves with a release function; rejects when `signal` aborts while waiting. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  get inUse(): number { return this.active; }
  get waiting(): number { return this.waiters.length; }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.limit <= 0 || this.active < this.limit) { this.active++; return this.releaser(); }
    await new Promise<void>((resolve, reject) => {
      const go = () => { signal?.removeEventListener('abort', onAbort); resolve(); };
      const onAbort = () => {
        const i = this.waiters.indexOf(go);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new CancelledError('waiting for a query slot: cancelled'));
      };
      this.waiters.push(go);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.active++;
    return this.releaser();
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      this.waiters.shift()?.();
    };
  }
}
