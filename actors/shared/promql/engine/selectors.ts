import type { MatrixSelector, SubqueryExpr, VectorSelector } from '../parser/ast.js';
import type { SelectHints, SeriesData } from '../storage/queryable.js';
import { isStaleNaN } from '../storage/stale.js';
import { labelsToString } from '../../labels/labels.js';
import { nativeHistogramsUnsupported } from './errors.js';
import { addSamples, checkAlive, refTimes, type EvalCtx } from './context.js';
import type { MatrixValue, RangeSeries, StepSeries, VectorValue } from './values.js';

/** Hints about the node around a selector, passed through to the store. */
export interface SelectContext { readonly func?: string; readonly grouping?: readonly string[]; readonly by?: boolean }

/** The select hints of an instant vector selector evaluated at `ctx`'s steps. */
export function vectorSelectHints(ctx: EvalCtx, sel: VectorSelector, sc: SelectContext = {}): SelectHints {
  const refs = refTimes(ctx, sel.offset, sel.at);
  return { startMs: refs[0]! - ctx.q.lookbackMs, endMs: refs[refs.length - 1]!, stepMs: ctx.stepMs, func: sc.func, grouping: sc.grouping, by: sc.by };
}

/** The select hints of a range selector evaluated at `ctx`'s steps. */
export function matrixSelectHints(ctx: EvalCtx, m: MatrixSelector, sc: SelectContext = {}): SelectHints {
  const refs = refTimes(ctx, m.vectorSelector.offset, m.vectorSelector.at);
  return { startMs: refs[0]! - m.range, endMs: refs[refs.length - 1]!, stepMs: ctx.stepMs, func: sc.func, rangeMs: m.range };
}

/** Selects and collects every series of `sel` for `hints` (no checks of the result). */
export async function fetchSelect(q: EvalCtx['q'], sel: VectorSelector, hints: SelectHints, signal: AbortSignal | undefined): Promise<SeriesData[]> {
  const res = await q.queryable.select(sel.matchers, hints, signal);
  const out: SeriesData[] = [];
  if (Symbol.asyncIterator in res) { for await (const s of res) out.push(s); } else for (const s of res) out.push(s);
  return out;
}

async function load(ctx: EvalCtx, sel: VectorSelector, hints: SelectHints): Promise<SeriesData[]> {
  checkAlive(ctx.q);
  const out = await (ctx.q.prefetch?.take(sel, hints) ?? fetchSelect(ctx.q, sel, hints, ctx.q.signal));
  checkAlive(ctx.q);
  for (const s of out) if (s.hasNativeHistograms === true) throw nativeHistogramsUnsupported(labelsToString(s.labels));
  return out;
}

/** An instant vector selector: newest sample ≤ ref within the lookback; a stale marker means none. */
export async function evalVectorSelector(sel: VectorSelector, ctx: EvalCtx, sc: SelectContext = {}): Promise<VectorValue> {
  const refs = refTimes(ctx, sel.offset, sel.at);
  const n = refs.length;
  const lb = ctx.q.lookbackMs;
  const data = await load(ctx, sel, vectorSelectHints(ctx, sel, sc));
  const out: StepSeries[] = [];
  let points = 0;
  let done = 0;
  for (const s of data) {
    if ((++done & 255) === 0) checkAlive(ctx.q);
    const vs = new Float64Array(n), has = new Uint8Array(n), ts = new Float64Array(n);
    let j = -1, any = false;
    const len = s.ts.length;
    for (let i = 0; i < n; i++) {
      const ref = refs[i]!;
      while (j + 1 < len && s.ts[j + 1]! <= ref) j++;
      if (j < 0) continue;
      const t = s.ts[j]!;
      if (t < ref - lb) continue;
      const v = s.vs[j]!;
      if (v !== v && isStaleNaN(v)) continue;
      vs[i] = v; has[i] = 1; ts[i] = t; any = true; points++;
    }
    if (any) out.push({ labels: s.labels, vs, has, ts });
  }
  addSamples(ctx.q, points);
  return { kind: 'vector', series: out };
}

function dropStale(s: SeriesData, lo: number, hi: number): RangeSeries {
  let stale = 0;
  for (let i = lo; i < hi; i++) { const v = s.vs[i]!; if (v !== v && isStaleNaN(v)) stale++; }
  if (stale === 0) return { labels: s.labels, ts: s.ts.subarray(lo, hi), vs: s.vs.subarray(lo, hi) };
  const ts = new Float64Array(hi - lo - stale), vs = new Float64Array(hi - lo - stale);
  let k = 0;
  for (let i = lo; i < hi; i++) {
    const v = s.vs[i]!;
    if (v !== v && isStaleNaN(v)) continue;
    ts[k] = s.ts[i]!; vs[k] = v; k++;
  }
  return { labels: s.labels, ts, vs };
}

/** A range selector: per step the closed window [ref - range, ref], stale markers dropped. */
export async function evalMatrixSelector(m: MatrixSelector, ctx: EvalCtx, sc: SelectContext = {}): Promise<MatrixValue> {
  const sel = m.vectorSelector;
  const refs = refTimes(ctx, sel.offset, sel.at);
  const n = refs.length;
  const winStart = new Float64Array(n);
  for (let i = 0; i < n; i++) winStart[i] = refs[i]! - m.range;
  const data = await load(ctx, sel, matrixSelectHints(ctx, m, sc));
  const series: RangeSeries[] = [];
  for (const s of data) {
    let lo = 0, hi = s.ts.length;
    while (lo < hi && s.ts[lo]! < winStart[0]!) lo++;
    while (hi > lo && s.ts[hi - 1]! > refs[n - 1]!) hi--;
    const r = dropStale(s, lo, hi);
    if (r.ts.length > 0) series.push(r);
  }
  return { kind: 'matrix', series, winStart, winEnd: refs };
}

/**
 * The inner step grid of a subquery: absolute multiples of `step` from the first one ≥ lo up to hi
 * (2.42 aligns with Go's truncating division, which is this ceiling for both signs).
 */
export function subqueryGrid(lo: number, hi: number, step: number): Float64Array {
  const r = lo % step;
  const first = r === 0 ? lo : lo > 0 ? lo - r + step : lo - r;
  if (first > hi) return new Float64Array(0);
  const n = Math.floor((hi - first) / step) + 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = first + i * step;
  return out;
}

/** Evaluates a subquery's inner vector over its grid and turns it into a range vector. */
export async function evalSubquery(
  sq: SubqueryExpr, ctx: EvalCtx, inner: (c: EvalCtx) => Promise<VectorValue>,
): Promise<MatrixValue> {
  const refs = refTimes(ctx, sq.offset, sq.at);
  const n = refs.length;
  const winStart = new Float64Array(n);
  for (let i = 0; i < n; i++) winStart[i] = refs[i]! - sq.range;
  const step = sq.step > 0 ? sq.step : ctx.q.defaultStepMs;
  const grid = subqueryGrid(winStart[0]!, refs[n - 1]!, step);
  const series: RangeSeries[] = [];
  if (grid.length > 0) {
    const v = await inner({ q: ctx.q, steps: grid, stepMs: step });
    for (const s of v.series) {
      let c = 0;
      for (let i = 0; i < s.has.length; i++) c += s.has[i]!;
      if (c === 0) continue;
      const ts = new Float64Array(c), vs = new Float64Array(c);
      let k = 0;
      for (let i = 0; i < s.has.length; i++) if (s.has[i] === 1) { ts[k] = grid[i]!; vs[k] = s.vs[i]!; k++; }
      series.push({ labels: s.labels, ts, vs });
    }
  }
  return { kind: 'matrix', series, winStart, winEnd: refs };
}
