import type { Samples } from './samples.js';

/**
 * A forward-only cursor over float samples, with Prometheus iterator semantics: positioned before
 * the first sample until `next()`; `seek(t)` moves to the first sample with time ≥ t and never
 * moves backwards (a no-op when already there). `t`/`v` are valid only after next/seek returned true.
 * Synchronous on purpose: this is the hot loop of deduplication.
 */
export interface SampleCursor {
  next(): boolean;
  seek(t: number): boolean;
  readonly t: number;
  readonly v: number;
  /**
   * Called when the deduplicator switched replicas and `last` was the previously emitted value:
   * a counter cursor whose current value is below `last` adds the difference to this and all its
   * later values (so a replica switch never looks like a counter reset). No-op for gauges.
   */
  adjust(last: number): void;
}

/** A cursor over one replica's columnar samples. `counter` enables the value adjustment. */
export class ReplicaCursor implements SampleCursor {
  private i = -1;
  private offset = 0;
  /** An adjustment requested while positioned on a NaN, applied at the next real value. */
  private pending = Number.NaN;

  constructor(private readonly s: Samples, private readonly counter: boolean) {}

  next(): boolean {
    if (this.i < this.s.ts.length) this.i++;
    if (this.pending === this.pending) this.applyPending();
    return this.i < this.s.ts.length;
  }

  seek(t: number): boolean {
    const ts = this.s.ts, n = ts.length;
    let i = this.i < 0 ? 0 : this.i;
    while (i < n && ts[i]! < t) i++;
    this.i = i;
    if (this.pending === this.pending) this.applyPending();
    return i < n;
  }

  get t(): number { return this.s.ts[this.i]!; }

  get v(): number {
    const raw = this.s.vs[this.i]!;
    // Keep NaNs (stale markers) bit-exact: adding an offset would turn a stale marker into a plain NaN.
    return this.offset === 0 || raw !== raw ? raw : raw + this.offset;
  }

  adjust(last: number): void {
    if (!this.counter) return;
    const v = this.v;
    // Thanos compares against the current value even when it is a stale marker (so no adjustment
    // happens and the next real value may look like a reset); we carry the request to the next real value.
    if (v !== v) { this.pending = last; return; }
    if (last > v) this.offset += last - v;
  }

  private applyPending(): void {
    if (this.i >= this.s.ts.length) { this.pending = Number.NaN; return; }
    if (this.s.vs[this.i] !== this.s.vs[this.i]) return;
    const last = this.pending;
    this.pending = Number.NaN;
    this.adjust(last);
  }
}
