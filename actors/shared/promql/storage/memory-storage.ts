import { compareLabels, labelsKey, type Labels } from '../../labels/labels.js';
import type { Matcher } from '../../labels/matcher.js';
import { bitView, HI, LO, STALE_NAN, STALE_NAN_HI, STALE_NAN_LO } from '../../tsdb/chunkenc/float-bits.js';
import type { MetadataQueryable, Queryable, SelectHints, SeriesData } from './queryable.js';

interface MemSeries {
  readonly labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
  n: number;
}

/**
 * An in-memory series store for tests and the script runner. `append` keeps each series sorted by
 * time; appending an existing timestamp replaces its value (unlike the TSDB, which rejects it).
 * Values are kept in Float64Arrays so stale markers keep their bits. Not safe to mutate while a
 * query iterates it.
 */
export class MemoryStorage implements Queryable, MetadataQueryable {
  private readonly byKey = new Map<string, MemSeries>();
  private sorted: MemSeries[] | undefined;

  /** Appends a stale marker (written bit-exactly) at `t`. */
  appendStale(labels: Labels, t: number): void {
    this.append(labels, t, STALE_NAN);
    const s = this.byKey.get(labelsKey(labels))!;
    const i = lowerBound(s.ts, s.n, t);
    const bits = bitView(s.vs);
    bits[2 * i + HI] = STALE_NAN_HI;
    bits[2 * i + LO] = STALE_NAN_LO;
  }

  /** Appends one sample (value stored bit-exactly when it comes from a Float64Array read). */
  append(labels: Labels, t: number, v: number): void {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = { labels, ts: new Float64Array(8), vs: new Float64Array(8), n: 0 };
      this.byKey.set(key, s);
      this.sorted = undefined;
    }
    if (s.n > 0 && s.ts[s.n - 1]! >= t) { insertSorted(s, t, v); return; }
    if (s.n === s.ts.length) grow(s);
    s.ts[s.n] = t;
    s.vs[s.n] = v;
    s.n++;
  }

  /** Appends samples of one series from parallel arrays (bits of `vs` preserved). */
  appendMany(labels: Labels, ts: ArrayLike<number>, vs: Float64Array): void {
    for (let i = 0; i < ts.length; i++) this.append(labels, ts[i]!, vs[i]!);
  }

  /** Removes everything. */
  clear(): void { this.byKey.clear(); this.sorted = undefined; }

  /** Number of series held. */
  get size(): number { return this.byKey.size; }

  select(matchers: readonly Matcher[], hints: SelectHints, signal?: AbortSignal): SeriesData[] {
    signal?.throwIfAborted();
    const out: SeriesData[] = [];
    for (const s of this.all()) {
      if (!matchesAll(s.labels, matchers)) continue;
      const lo = lowerBound(s.ts, s.n, hints.startMs);
      const hi = lowerBound(s.ts, s.n, hints.endMs + 1);
      if (hi <= lo) continue;
      out.push({ labels: s.labels, ts: s.ts.subarray(lo, hi), vs: s.vs.subarray(lo, hi) });
    }
    return out;
  }

  async labelNames(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): Promise<string[]> {
    const names = new Set<string>();
    for (const ls of this.pick(matcherSets, startMs, endMs)) for (const l of ls) names.add(l.name);
    return [...names].sort(cmp);
  }

  async labelValues(name: string, matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): Promise<string[]> {
    const vals = new Set<string>();
    for (const ls of this.pick(matcherSets, startMs, endMs)) for (const l of ls) if (l.name === name && l.value !== '') vals.add(l.value);
    return [...vals].sort(cmp);
  }

  async series(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): Promise<Labels[]> {
    return this.pick(matcherSets, startMs, endMs);
  }

  private pick(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): Labels[] {
    const out: Labels[] = [];
    for (const s of this.all()) {
      if (matcherSets.length > 0 && !matcherSets.some((ms) => matchesAll(s.labels, ms))) continue;
      const lo = lowerBound(s.ts, s.n, startMs);
      if (lo < s.n && s.ts[lo]! <= endMs) out.push(s.labels);
    }
    return out;
  }

  private all(): MemSeries[] {
    if (this.sorted === undefined) this.sorted = [...this.byKey.values()].sort((a, b) => compareLabels(a.labels, b.labels));
    return this.sorted;
  }
}

function cmp(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

function matchesAll(ls: Labels, matchers: readonly Matcher[]): boolean {
  for (const m of matchers) {
    let v = '';
    for (const l of ls) if (l.name === m.name) { v = l.value; break; }
    if (!m.matches(v)) return false;
  }
  return true;
}

/** First index in ts[0..n) with ts[i] >= t. */
function lowerBound(ts: Float64Array, n: number, t: number): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function grow(s: MemSeries): void {
  const ts = new Float64Array(s.ts.length * 2); ts.set(s.ts);
  const vs = new Float64Array(s.vs.length * 2); vs.set(s.vs);
  s.ts = ts; s.vs = vs;
}

function insertSorted(s: MemSeries, t: number, v: number): void {
  const i = lowerBound(s.ts, s.n, t);
  if (i < s.n && s.ts[i] === t) { s.vs[i] = v; return; }
  if (s.n === s.ts.length) grow(s);
  s.ts.copyWithin(i + 1, i, s.n);
  s.vs.copyWithin(i + 1, i, s.n);
  s.ts[i] = t; s.vs[i] = v;
  s.n++;
}
