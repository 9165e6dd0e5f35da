import type { Expr } from '../parser/ast.js';
import { evalAggregate } from './aggregate.js';
import { evalBinary } from './binary.js';
import { addSamples, checkAlive, type EvalCtx } from './context.js';
import { evaluatedOnce } from './step-invariant.js';
import { execError } from './errors.js';
import { evalCall, unwrapParens } from './functions.js';
import { dropName, mergeSameLabels } from './labels-util.js';
import { evalMatrixSelector, evalSubquery, evalVectorSelector } from './selectors.js';
import type { StepSeries, Value, VectorValue } from './values.js';

/**
 * Evaluates `e` at every step of `ctx` (columnar: one array per series over all steps). Afterwards
 * the query holds the samples it held before plus this node's output (2.42's accounting; a range
 * vector keeps what its evaluation added, e.g. a subquery's inner result, until its consumer ends).
 */
export async function evaluate(e: Expr, ctx: EvalCtx): Promise<Value> {
  checkAlive(ctx.q);
  const before = ctx.q.samples;
  const n = ctx.steps.length;
  let v: Value;
  if (evaluatedOnce(e, n)) {
    v = broadcast(await evalNode(e, { q: ctx.q, steps: ctx.steps.subarray(0, 1), stepMs: ctx.stepMs }), n, ctx);
  } else v = await evalNode(e, ctx);
  if (v.kind === 'scalar') ctx.q.samples = before + v.vs.length;
  else if (v.kind === 'vector') {
    let c = 0;
    for (const s of v.series) for (let i = 0; i < s.has.length; i++) c += s.has[i]!;
    ctx.q.samples = before + c;
  }
  return v;
}

async function evalNode(e: Expr, ctx: EvalCtx): Promise<Value> {
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

/** Repeats a one-step result over `n` steps, accounting the copies as 2.42 does. */
function broadcast(v: Value, n: number, ctx: EvalCtx): Value {
  if (v.kind === 'scalar') {
    addSamples(ctx.q, n - 1);
    return { kind: 'scalar', vs: new Float64Array(n).fill(v.vs[0]!) };
  }
  if (v.kind !== 'vector') return v;
  const series: StepSeries[] = [];
  for (const s of v.series) {
    if (s.has[0] === 0) continue;
    addSamples(ctx.q, n - 1);
    series.push({
      labels: s.labels, vs: new Float64Array(n).fill(s.vs[0]!), has: new Uint8Array(n).fill(1),
      ...(s.ts === undefined ? {} : { ts: new Float64Array(n).fill(s.ts[0]!) }),
    });
  }
  return { kind: 'vector', series };
}
