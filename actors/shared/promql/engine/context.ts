import type { AtModifier } from '../parser/ast.js';
import type { SelectPrefetch } from './prefetch.js';
import type { Queryable } from '../storage/queryable.js';
import type { Value } from './values.js';
import { PromqlCanceledError, PromqlTimeoutError, PromqlTooManySamplesError } from './errors.js';

/** State shared by every node of one query. */
export interface QueryState {
  readonly queryable: Queryable;
  readonly lookbackMs: number;
  readonly maxSamples: number;
  /** Default subquery step (Prometheus's global evaluation interval), ms. */
  readonly defaultStepMs: number;
  readonly signal: AbortSignal | undefined;
  readonly now: () => number;
  /** `now()` value after which the query times out. */
  readonly deadline: number;
  /** The query's start and end (ms), for `@ start()` / `@ end()`. */
  readonly queryStart: number;
  readonly queryEnd: number;
  /** Samples accounted so far (see README: an upper bound of Prometheus's peak count). */
  samples: number;
  /** Highest value `samples` reached. */
  peak: number;
  readonly warnings: string[];
  /** Selects started ahead of evaluation (set by the engine at query start; see prefetch.ts). */
  prefetch?: SelectPrefetch;
}

/** The steps a node is evaluated at: the query's steps, or a subquery's inner grid. */
export interface EvalCtx {
  readonly q: QueryState;
  /** Step times, ms, ascending. */
  readonly steps: Float64Array;
  /** Step interval, ms (0 for a single step). */
  readonly stepMs: number;
}

const ENV = 'query execution';

/** Throws the typed cancel/timeout error when the query must stop. */
export function checkAlive(q: QueryState): void {
  if (q.signal?.aborted === true) throw new PromqlCanceledError(`query was canceled in ${ENV}`, { cause: q.signal.reason });
  if (q.now() > q.deadline) throw new PromqlTimeoutError(`query timed out in ${ENV}`);
}

function tooMany(q: QueryState): PromqlTooManySamplesError {
  return new PromqlTooManySamplesError(`query processing would load too many samples into memory in ${ENV}`, { data: { maxSamples: q.maxSamples } });
}

/** Accounts `n` more samples held; throws PROMQL_TOO_MANY_SAMPLES past the limit. */
export function addSamples(q: QueryState, n: number): void {
  q.samples += n;
  if (q.samples > q.peak) q.peak = q.samples;
  if (q.samples > q.maxSamples) throw tooMany(q);
}

/** Throws PROMQL_TOO_MANY_SAMPLES if `n` more samples than currently held would pass the limit. */
export function checkTransient(q: QueryState, n: number): void {
  if (q.samples + n > q.peak) q.peak = q.samples + n;
  if (q.samples + n > q.maxSamples) throw tooMany(q);
}

function presentAt(v: Value, i: number): number {
  if (v.kind === 'scalar') return 1;
  if (v.kind !== 'vector') return 0;
  let c = 0;
  for (const s of v.series) c += s.has[i]!;
  return c;
}

/**
 * 2.42's accounting of a node evaluated step by step over its arguments (rangeEval): the arguments'
 * samples stay held; at each step that step's input samples are gathered on top, and the outputs of
 * all steps so far stay held. Checked after the node ran (the outcome is the same).
 */
export function checkStepAccounting(q: QueryState, args: readonly Value[], result: Value, n: number): void {
  let outputs = 0;
  for (let i = 0; i < n; i++) {
    let inputs = 0;
    for (const a of args) inputs += presentAt(a, i);
    outputs += presentAt(result, i);
    checkTransient(q, outputs + inputs);
  }
}

export function atTime(at: AtModifier, q: QueryState): number {
  if (at === 'start') return q.queryStart;
  if (at === 'end') return q.queryEnd;
  return at.time;
}

/** Reference time per step: (`@` time or step time) minus offset. Non-decreasing. */
export function refTimes(ctx: EvalCtx, offset: number, at: AtModifier | undefined): Float64Array {
  const out = new Float64Array(ctx.steps.length);
  if (at !== undefined) out.fill(atTime(at, ctx.q) - offset);
  else for (let i = 0; i < out.length; i++) out[i] = ctx.steps[i]! - offset;
  return out;
}
