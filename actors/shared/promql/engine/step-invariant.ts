import type { Expr } from '../parser/ast.js';

/** Functions whose result depends on the evaluation time (2.42 `AtModifierUnsafeFunctions`). */
export const AT_MODIFIER_UNSAFE_FUNCTIONS: ReadonlySet<string> = new Set(['days_in_month', 'day_of_month', 'day_of_week',
  'day_of_year', 'hour', 'minute', 'month', 'year', 'predict_linear', 'time', 'timestamp']);

const cache = new WeakMap<Expr, boolean>();

/**
 * Whether `e` gives the same result at every step (2.42's `preprocessExpr` rules): literals,
 * selectors and subqueries with `@`, and aggregations, operators and (time-independent) function
 * calls over such nodes only. 2.42 evaluates a maximal step-invariant non-literal subtree once at the
 * first step and repeats the result; the engine does the same (same values, same sample accounting).
 */
export function isStepInvariant(e: Expr): boolean {
  let r = cache.get(e);
  if (r !== undefined) return r;
  switch (e.type) {
    case 'NumberLiteral': case 'StringLiteral': r = true; break;
    case 'VectorSelector': r = e.at !== undefined; break;
    case 'MatrixSelector': r = e.vectorSelector.at !== undefined; break;
    case 'SubqueryExpr': r = e.at !== undefined; break;
    case 'AggregateExpr': r = isStepInvariant(e.expr); break;
    case 'BinaryExpr': r = isStepInvariant(e.lhs) && isStepInvariant(e.rhs); break;
    case 'Call': r = !AT_MODIFIER_UNSAFE_FUNCTIONS.has(e.func.name) && e.args.every(isStepInvariant); break;
    case 'ParenExpr': case 'UnaryExpr': r = isStepInvariant(e.expr); break;
  }
  cache.set(e, r);
  return r;
}

/**
 * Whether `evaluate` runs `e` once at the first of `steps` steps and repeats the result: a
 * step-invariant node other than a literal, range selector or subquery, in a multi-step evaluation.
 */
export function evaluatedOnce(e: Expr, steps: number): boolean {
  return steps > 1 && e.type !== 'NumberLiteral' && e.type !== 'StringLiteral' && e.type !== 'MatrixSelector' && e.type !== 'SubqueryExpr'
    && isStepInvariant(e);
}
