import { setMaxListeners } from 'node:events';
import { CancelledError } from '../../../../runtime/errors/runtime-errors.js';
import type { Expr, VectorSelector } from '../parser/ast.js';
import type { SelectHints, SeriesData } from '../storage/queryable.js';
import type { EvalCtx } from './context.js';
import { unwrapParens } from './functions.js';
import { isRangeFunction } from './range-functions.js';
import { fetchSelect, matrixSelectHints, vectorSelectHints } from './selectors.js';
import { evaluatedOnce } from './step-invariant.js';

/** At most this many selects of one query are started ahead of evaluation. */
export const MAX_PREFETCHED_SELECTS = 16;

/** Why untaken selects are aborted (made once: a fresh DOMException per query costs a stack capture). */
const PREFETCH_ENDED = new CancelledError('query ended: prefetched select not needed');

interface Pending { readonly key: string; readonly data: Promise<SeriesData[]> }

/**
 * Starts the selects of a query's selectors together, before evaluation reaches them — as Prometheus
 * populates every selector's series set first and Thanos's querier starts each Select's fan-out at
 * once — so a query with several selectors waits for its slowest store round trip, not their sum.
 *
 * Contract: evaluation stays sequential and unchanged; only I/O moves earlier. `take` hands a
 * prefetched result to the selector's evaluation only when its hints are exactly those the
 * evaluation computes (else the evaluation selects as usual), and at most once. A prefetched select
 * that fails rethrows its error when taken (the error a lazy select would have thrown); one never
 * taken is aborted by `close` and its error dropped. Selectors inside subqueries are not prefetched
 * (their steps are known only during evaluation). At most MAX_PREFETCHED_SELECTS per query.
 */
export class SelectPrefetch {
  readonly #pending = new Map<VectorSelector, Pending>();
  readonly #abort = new AbortController();
  readonly #signal: AbortSignal;

  constructor(private readonly q: EvalCtx['q']) {
    this.#signal = q.signal === undefined ? this.#abort.signal : AbortSignal.any([q.signal, this.#abort.signal]);
    setMaxListeners(0, this.#signal); // each prefetched select listens (at most MAX_PREFETCHED_SELECTS)
  }

  /** Plans the selects of `e` evaluated at `ctx` and starts them when there are two or more. */
  static start(e: Expr, ctx: EvalCtx): SelectPrefetch | undefined {
    const plan: Array<{ sel: VectorSelector; hints: SelectHints }> = [];
    planSelects(e, ctx, plan);
    if (plan.length < 2) return undefined;
    const p = new SelectPrefetch(ctx.q);
    for (const { sel, hints } of plan.slice(0, MAX_PREFETCHED_SELECTS)) p.#begin(sel, hints);
    return p;
  }

  /** The prefetched result of `sel` if it was started with exactly `hints`; removes it. */
  take(sel: VectorSelector, hints: SelectHints): Promise<SeriesData[]> | undefined {
    const p = this.#pending.get(sel);
    if (p === undefined || p.key !== hintsKey(hints)) return undefined;
    this.#pending.delete(sel);
    return p.data;
  }

  /** Aborts every select not taken. Idempotent. */
  close(): void {
    this.#pending.clear();
    this.#abort.abort(PREFETCH_ENDED);
  }

  #begin(sel: VectorSelector, hints: SelectHints): void {
    if (this.#pending.has(sel)) return;
    const data = fetchSelect(this.q, sel, hints, this.#signal);
    data.catch(() => undefined); // rethrown by the evaluation that takes it; dropped if never taken
    this.#pending.set(sel, { key: hintsKey(hints), data });
  }
}

function hintsKey(h: SelectHints): string {
  return `${h.startMs}|${h.endMs}|${h.stepMs ?? ''}|${h.func ?? ''}|${h.rangeMs ?? ''}|${h.by ?? ''}|${h.grouping?.join('\xff') ?? ''}`;
}

/** Mirrors how `evaluate` walks `e` (step-invariant nodes at one step, range-function arguments) to list its selects. */
function planSelects(e: Expr, ctx: EvalCtx, out: Array<{ sel: VectorSelector; hints: SelectHints }>): void {
  if (evaluatedOnce(e, ctx.steps.length)) ctx = { q: ctx.q, steps: ctx.steps.subarray(0, 1), stepMs: ctx.stepMs };
  switch (e.type) {
    case 'VectorSelector': out.push({ sel: e, hints: vectorSelectHints(ctx, e) }); return;
    case 'MatrixSelector': out.push({ sel: e.vectorSelector, hints: matrixSelectHints(ctx, e) }); return;
    case 'ParenExpr': case 'UnaryExpr': planSelects(e.expr, ctx, out); return;
    case 'AggregateExpr': if (e.param !== undefined) planSelects(e.param, ctx, out); planSelects(e.expr, ctx, out); return;
    case 'BinaryExpr': planSelects(e.lhs, ctx, out); planSelects(e.rhs, ctx, out); return;
    case 'Call': {
      const name = e.func.name;
      const mi = isRangeFunction(name) ? e.func.argTypes.indexOf('matrix') : -1;
      e.args.forEach((a, i) => {
        const arg = unwrapParens(a);
        if (i === mi && arg.type === 'MatrixSelector') out.push({ sel: arg.vectorSelector, hints: matrixSelectHints(ctx, arg, { func: name }) });
        else planSelects(a, ctx, out);
      });
      return;
    }
    default: return; // literals; subqueries (their inner steps are known only when evaluated)
  }
}
