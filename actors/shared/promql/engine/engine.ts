import { compareLabels } from '../../labels/labels.js';
import { exprType, type Expr } from '../parser/ast.js';
import { parseExpr } from '../parser/parse.js';
import type { Queryable } from '../storage/queryable.js';
import { addSamples, type EvalCtx, type QueryState } from './context.js';
import { PromqlBadQueryError } from './errors.js';
import { evaluate } from './evaluator.js';
import { SelectPrefetch } from './prefetch.js';
import type { MatrixSeries, QueryResult, QueryValue, Sample } from './result.js';
import { lowerBound, type Value } from './values.js';

/** Engine limits and defaults (Prometheus 2.42 flag defaults). */
export interface EngineOptions {
  /** `--query.lookback-delta`, default 5m. */
  readonly lookbackDeltaMs?: number;
  /** `--query.max-samples`, default 50,000,000. */
  readonly maxSamples?: number;
  /** `--query.timeout`, default 2m. */
  readonly timeoutMs?: number;
  /** Max `(end - start) / step` of a range query, default 11,000 (the API's limit; 11,001 points pass). */
  readonly maxPointsPerSeries?: number;
  /** Step of subqueries without one (global evaluation interval), default 1m. */
  readonly defaultSubqueryStepMs?: number;
  /** Clock for the timeout (ms), default Date.now; injectable for tests. */
  readonly now?: () => number;
  /** Start a query's selects together before evaluating (prefetch.ts), default true. */
  readonly prefetchSelects?: boolean;
}

/**
 * The PromQL engine (Prometheus 2.42 semantics). Stateless between queries; safe to share.
 * Throws ParseError (PROMQL_PARSE) for bad query text, PromqlBadQueryError for bad parameters,
 * PromqlExecutionError / PromqlTooManySamplesError / PromqlTimeoutError / PromqlCanceledError
 * during evaluation, and whatever the Queryable throws.
 */
export class Engine {
  readonly lookbackDeltaMs: number;
  readonly prefetchSelects: boolean;
  readonly maxSamples: number;
  readonly timeoutMs: number;
  readonly maxPointsPerSeries: number;
  readonly defaultSubqueryStepMs: number;
  private readonly now: () => number;

  constructor(opts: EngineOptions = {}) {
    this.lookbackDeltaMs = opts.lookbackDeltaMs ?? 5 * 60_000;
    this.maxSamples = opts.maxSamples ?? 50_000_000;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.maxPointsPerSeries = opts.maxPointsPerSeries ?? 11_000;
    this.defaultSubqueryStepMs = opts.defaultSubqueryStepMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    this.prefetchSelects = opts.prefetchSelects ?? true;
  }

  /** Evaluates `query` at `timeMs`; vector results keep evaluation order. */
  async instantQuery(queryable: Queryable, query: Expr | string, timeMs: number, signal?: AbortSignal): Promise<QueryResult> {
    const expr = typeof query === 'string' ? parseExpr(query) : query;
    const q = this.state(queryable, timeMs, timeMs, signal);
    const v = await evaluateWithPrefetch(expr, { q, steps: Float64Array.of(timeMs), stepMs: 0 }, this.prefetchSelects);
    return { value: instantValue(v, timeMs, q), warnings: q.warnings, samples: q.peak };
  }

  /** Evaluates `query` at start, start+step, … ≤ end; returns a matrix sorted by labels. */
  async rangeQuery(queryable: Queryable, query: Expr | string, startMs: number, endMs: number, stepMs: number, signal?: AbortSignal): Promise<QueryResult> {
    const expr = typeof query === 'string' ? parseExpr(query) : query;
    const t = exprType(expr);
    if (t !== 'scalar' && t !== 'vector') {
      throw new PromqlBadQueryError(`invalid expression type "${t === 'matrix' ? 'range vector' : t}" for range query, must be Scalar or instant Vector`);
    }
    if (!(stepMs > 0)) throw new PromqlBadQueryError('zero or negative query resolution step widths are not accepted. Try a positive integer');
    if (endMs < startMs) throw new PromqlBadQueryError('end timestamp must not be before start time');
    const n = Math.floor((endMs - startMs) / stepMs) + 1;
    // As the 2.42 API: (end - start) / step (integer division) may not exceed the limit.
    if (n - 1 > this.maxPointsPerSeries) {
      throw new PromqlBadQueryError(`exceeded maximum resolution of ${this.maxPointsPerSeries.toLocaleString('en-US')} points per timeseries. Try decreasing the query resolution (?step=XX)`);
    }
    const steps = new Float64Array(n);
    for (let i = 0; i < n; i++) steps[i] = startMs + i * stepMs;
    const q = this.state(queryable, startMs, endMs, signal);
    const ctx: EvalCtx = { q, steps, stepMs };
    const v = await evaluateWithPrefetch(expr, ctx, this.prefetchSelects);
    const series: MatrixSeries[] = [];
    if (v.kind === 'scalar') series.push({ labels: [], ts: steps.slice(), vs: v.vs.slice() });
    else if (v.kind === 'vector') {
      for (const s of v.series) {
        let c = 0;
        for (let i = 0; i < n; i++) c += s.has[i]!;
        if (c === 0) continue;
        const ts = new Float64Array(c), vs = new Float64Array(c);
        let k = 0;
        for (let i = 0; i < n; i++) if (s.has[i] === 1) { ts[k] = steps[i]!; vs[k] = s.vs[i]!; k++; }
        series.push({ labels: s.labels, ts, vs });
      }
      series.sort((a, b) => compareLabels(a.labels, b.labels));
    }
    return { value: { type: 'matrix', series }, warnings: q.warnings, samples: q.peak };
  }

  private state(queryable: Queryable, start: number, end: number, signal: AbortSignal | undefined): QueryState {
    return {
      queryable, lookbackMs: this.lookbackDeltaMs, maxSamples: this.maxSamples, defaultStepMs: this.defaultSubqueryStepMs,
      signal, now: this.now, deadline: this.now() + this.timeoutMs, queryStart: start, queryEnd: end, samples: 0, peak: 0, warnings: [],
    };
  }
}

function instantValue(v: Value, t: number, q: QueryState): QueryValue {
  switch (v.kind) {
    case 'scalar': return { type: 'scalar', t, v: v.vs[0]! };
    case 'string': return { type: 'string', t, v: v.value };
    case 'vector': {
      const samples: Sample[] = [];
      for (const s of v.series) if (s.has[0] === 1) samples.push({ labels: s.labels, t, v: s.vs[0]! });
      return { type: 'vector', samples };
    }
    case 'matrix': {
      const series: MatrixSeries[] = [];
      let total = 0;
      for (const s of v.series) {
        const lo = lowerBound(s.ts, v.winStart[0]!);
        const hi = lowerBound(s.ts, v.winEnd[0]! + 1);
        if (hi <= lo) continue;
        series.push({ labels: s.labels, ts: s.ts.slice(lo, hi), vs: s.vs.slice(lo, hi) });
        total += hi - lo;
      }
      addSamples(q, total);
      series.sort((a, b) => compareLabels(a.labels, b.labels));
      return { type: 'matrix', series };
    }
  }
}

/** Evaluates the whole query with its selects started up front (SelectPrefetch); unused ones are aborted at the end. */
async function evaluateWithPrefetch(expr: Expr, ctx: EvalCtx, prefetch: boolean): Promise<Value> {
  if (prefetch) ctx.q.prefetch = SelectPrefetch.start(expr, ctx);
  try { return await evaluate(expr, ctx); } finally { ctx.q.prefetch?.close(); }
}
