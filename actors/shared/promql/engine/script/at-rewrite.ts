import type { Expr } from '../../parser/ast.js';
import { AT_MODIFIER_UNSAFE_FUNCTIONS as UNSAFE } from '../step-invariant.js';

/**
 * The 2.42 harness's `@` re-check: pins every selector and outermost subquery without `@` to `t`
 * (nothing inside a subquery is touched). Returns undefined when the expression calls a
 * time-dependent function outside subqueries (then the check is skipped).
 */
export function pinToTime(e: Expr, t: number): Expr | undefined {
  let unsafe = false;
  const rw = (x: Expr): Expr => {
    switch (x.type) {
      case 'VectorSelector': return x.at === undefined ? { ...x, at: { time: t } } : x;
      case 'MatrixSelector': return { ...x, vectorSelector: x.vectorSelector.at === undefined ? { ...x.vectorSelector, at: { time: t } } : x.vectorSelector };
      case 'SubqueryExpr': return x.at === undefined ? { ...x, at: { time: t } } : x;
      case 'Call':
        if (UNSAFE.has(x.func.name)) unsafe = true;
        return { ...x, args: x.args.map(rw) };
      case 'AggregateExpr': return { ...x, expr: rw(x.expr), param: x.param === undefined ? undefined : rw(x.param) };
      case 'BinaryExpr': return { ...x, lhs: rw(x.lhs), rhs: rw(x.rhs) };
      case 'UnaryExpr': case 'ParenExpr': return { ...x, expr: rw(x.expr) };
      default: return x;
    }
  };
  const out = rw(e);
  return unsafe ? undefined : out;
}

/** Eval times of the `@` re-check for an eval at `t` ms. */
export function atCheckTimes(t: number): number[] {
  if (t === 0) return [-1000, 0, 1000];
  return [-10 * t, 0, Math.trunc(t / 5), t, 10 * t];
}
