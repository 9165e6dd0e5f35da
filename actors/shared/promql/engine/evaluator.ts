import type { Expr } from '../parser/ast.js';
import { evalAggregate } from './aggregate.js';
import { evalBinary } from './binary.js';
import { checkAlive, type EvalCtx } from './context.js';
import { execError } from './errors.js';
import { evalCall, unwrapParens } from './functions.js';
import { dropName, mergeSameLabels } from './labels-util.js';
import { evalMatrixSelector, evalSubquery, evalVectorSelector } from './selectors.js';
import type { StepSeries, Value, VectorValue } from './values.js';

/** Evaluates `e` at every step of `ctx` (columnar: one array per series over all steps). */
export async function evaluate(e: Expr, ctx: EvalCtx): Promise<Value> {
  checkAlive(ctx.q);
  const n = ctx.steps.length;
  switch (e.type) {
    case 'NumberLiteral': return { kind: 'scalar', vs: new Float64Array(n).fill(e.value) };
    case 'StringLiteral': return { kind: 'string', value: e.value };
    case 'ParenExpr': return evaluate(e.expr, ctx);
    case 'VectorSelector': return evalVectorSelector(e, ctx);
    case 'MatrixSelector': return evalMatrixSelector(e, ctx);
    case 'SubqueryExpr': return evalSubquery(e, ctx, async (c) => {
      const v = await evaluate(e.expr, c);
      if (v.kind !== 'vector') throw execError('subquery is only allowed on instant vector');
      return v;
    });
    case 'UnaryExpr': {
      const v = await evaluate(e.expr, ctx);
      if (e.op === '+') return v;
      if (v.kind === 'scalar') return { kind: 'scalar', vs: v.vs.map((x) => -x) };
      if (v.kind !== 'vector') throw execError('unary minus on a non-numeric value');
      return negate(v);
    }
    case 'Call': return evalCall(e, ctx, evaluate);
    case 'AggregateExpr': return evalAggregate(e, ctx, evaluate);
    case 'BinaryExpr': return evalBinary(e, ctx, evaluate);
  }
}

function negate(v: VectorValue): VectorValue {
  const out: StepSeries[] = v.series.map((s) => {
    const vs = new Float64Array(s.vs.length);
    for (let i = 0; i < vs.length; i++) vs[i] = -s.vs[i]!;
    return { labels: dropName(s.labels), vs, has: s.has };
  });
  // 2.42 checks the whole matrix here, not each step.
  return { kind: 'vector', series: mergeSameLabels(out, false) };
}

export { unwrapParens };
