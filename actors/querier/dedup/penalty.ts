import { ReplicaCursor, type SampleCursor } from './cursor.js';
import { dedupPenalty2 } from './penalty2.js';
import { EMPTY_SAMPLES, type Samples } from './samples.js';

/**
 * Thanos's penalty deduplication (`--deduplication.func=penalty`, pkg/dedup/iter.go), re-derived:
 * two replicas A and B are merged by repeatedly taking the earlier of their next samples, but after
 * a sample is taken from one replica the other must skip ahead: its next seek target is
 * lastT + 1 + penalty, where penalty = 2 × (the gap between the two most recently emitted samples),
 * or INITIAL_PENALTY_MS before anything was emitted. The chosen replica's penalty resets to 0.
 * So output sticks to one replica and switches only when that replica has a gap larger than about
 * twice its scrape interval — it never interleaves replicas (which would double the sample rate).
 * Ties go to A. N replicas are chained: ((r0 ⊕ r1) ⊕ r2) ⊕ …
 *
 * Counter mode (functions rate/increase/irate/resets/xrate/xincrease): on every replica switch both
 * sides are `adjust`ed to the last emitted value, so a replica that lags behind never produces a
 * fake counter reset (the Thanos fix for issue #2401).
 *
 * One deliberate difference: Thanos treats the pre-selected replica A as "last used" before any
 * sample is emitted, so when B's first sample is earlier it adjusts B to A's never-emitted first
 * value (a permanent, wrong offset; thanos PR #9041). Here adjustment happens only after a sample
 * was emitted. And when the replica switched to sits on a NaN (stale marker), Thanos's comparison
 * with NaN adjusts nothing, so the next real value can look like a reset; here the adjustment is
 * carried to that next real value (ReplicaCursor). Stale markers themselves are emitted bit-exact.
 */
export const INITIAL_PENALTY_MS = 5000;

export class PenaltyPair implements SampleCursor {
  private aOk: boolean;
  private bOk: boolean;
  private useA = true;
  private emitted = false;
  private lastT = 0;
  private penA = 0;
  private penB = 0;

  constructor(private readonly a: SampleCursor, private readonly b: SampleCursor) {
    this.aOk = a.next();
    this.bOk = b.next();
  }

  next(): boolean {
    const hadLast = this.emitted;
    const lastUseA = this.useA;
    const lastV = hadLast ? (this.useA ? this.a.v : this.b.v) : 0;

    if (this.aOk) this.aOk = hadLast ? this.a.seek(this.lastT + 1 + this.penA) : true;
    if (this.bOk) this.bOk = hadLast ? this.b.seek(this.lastT + 1 + this.penB) : true;

    let ok: boolean;
    if (!this.aOk) {
      this.useA = false;
      ok = this.bOk;
      if (ok) { this.lastT = this.b.t; this.penB = 0; }
    } else if (!this.bOk) {
      this.useA = true;
      ok = true;
      this.lastT = this.a.t;
      this.penA = 0;
    } else {
      const ta = this.a.t, tb = this.b.t;
      ok = true;
      this.useA = ta <= tb;
      if (this.useA) {
        this.penB = hadLast ? 2 * (ta - this.lastT) : INITIAL_PENALTY_MS;
        this.penA = 0;
        this.lastT = ta;
      } else {
        this.penA = hadLast ? 2 * (tb - this.lastT) : INITIAL_PENALTY_MS;
        this.penB = 0;
        this.lastT = tb;
      }
    }
    if (hadLast && this.useA !== lastUseA) this.adjust(lastV);
    this.emitted = this.emitted || ok;
    return ok;
  }

  /** Seeks by stepping (never jumps across a gap, so the replica choice matches a full scan). */
  seek(t: number): boolean {
    if (!this.emitted && !this.next()) return false;
    for (;;) {
      if (!(this.useA ? this.aOk : this.bOk)) return false;
      if (this.t >= t) return true;
      if (!this.next()) return false;
    }
  }

  get t(): number { return this.useA ? this.a.t : this.b.t; }
  get v(): number { return this.useA ? this.a.v : this.b.v; }

  adjust(last: number): void {
    if (this.aOk) this.a.adjust(last);
    if (this.bOk) this.b.adjust(last);
  }
}

export interface DedupOptions {
  /** Adjust counters on replica switches (the wrapping PromQL function is a counter function). */
  readonly counter: boolean;
}

/** Builds the chained penalty cursor over the replicas (at least one). */
export function penaltyCursor(replicas: readonly Samples[], opts: DedupOptions): SampleCursor {
  let it: SampleCursor = new ReplicaCursor(replicas[0] ?? EMPTY_SAMPLES, opts.counter);
  for (let i = 1; i < replicas.length; i++) it = new PenaltyPair(it, new ReplicaCursor(replicas[i]!, opts.counter));
  return it;
}

/**
 * Penalty-deduplicates replicas of one series into one columnar series. Two replicas (the common
 * HA pair) take a flat loop (penalty2.ts); more go through the chained cursors.
 */
export function dedupPenalty(replicas: readonly Samples[], opts: DedupOptions): Samples {
  if (replicas.length === 0) return EMPTY_SAMPLES;
  if (replicas.length === 1) return replicas[0]!;
  if (replicas.length === 2) return dedupPenalty2(replicas[0]!, replicas[1]!, opts.counter, INITIAL_PENALTY_MS);
  return dedupWithCursors(replicas, opts);
}

/** The general path: drains penaltyCursor() into columnar output (any number of replicas). */
export function dedupWithCursors(replicas: readonly Samples[], opts: DedupOptions): Samples {
  let cap = 0;
  for (const r of replicas) cap += r.ts.length;
  const ts = new Float64Array(cap), vs = new Float64Array(cap);
  const it = penaltyCursor(replicas, opts);
  let n = 0;
  while (it.next()) { ts[n] = it.t; vs[n] = it.v; n++; }
  return { ts: ts.subarray(0, n), vs: vs.subarray(0, n) };
}
