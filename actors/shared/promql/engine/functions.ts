import { labelsFromPairs, METRIC_NAME, type Labels } from '../../labels/labels.js';
import * as k from '../functions/index.js';
import type { Call, Expr, VectorSelector } from '../parser/ast.js';
import { checkStepAccounting, type EvalCtx } from './context.js';
import { execError } from './errors.js';
import { dropName, mergeSameLabels } from './labels-util.js';
import { labelJoin, labelReplace } from './label-functions.js';
import { evalRangeFunction, isRangeFunction } from './range-functions.js';
import type { MatrixValue, ScalarValue, StepSeries, Value, VectorValue } from './values.js';
import { newSeries } from './values.js';
import { histogramQuantile } from './histogram.js';
import { evalMatrixSelector } from './selectors.js';

/** Evaluates a node; supplied by the evaluator (breaks the import cycle). */
export type Eval = (e: Expr, ctx: EvalCtx) => Promise<Value>;

const SIMPLE: Record<string, (v: number) => number> = {
  abs: k.math.abs, ceil: k.math.ceil, floor: k.math.floor, exp: k.math.exp, sqrt: k.math.sqrt,
  ln: k.math.ln, log2: k.math.log2, log10: k.math.log10,
  sin: k.math.sin, cos: k.math.cos, tan: k.math.tan, asin: k.math.asin, acos: k.math.acos, atan: k.math.atan,
  sinh: k.math.sinh, cosh: k.math.cosh, tanh: k.math.tanh, asinh: k.math.asinh, acosh: k.math.acosh, atanh: k.math.atanh,
  deg: k.math.deg, rad: k.math.rad, sgn: k.math.sgn,
};

const DATE: Record<string, (v: number) => number> = {
  day_of_month: k.date.dayOfMonth, day_of_week: k.date.dayOfWeek, day_of_year: k.date.dayOfYear,
  days_in_month: k.date.daysInMonth, hour: k.date.hour, minute: k.date.minute, month: k.date.month, year: k.date.year,
};

export function unwrapParens(e: Expr): Expr {
  while (e.type === 'ParenExpr') e = e.expr;
  return e;
}

function scalarOf(v: Value): ScalarValue {
  if (v.kind !== 'scalar') throw execError(`expected scalar argument, got ${v.kind}`);
  return v;
}
function vectorOf(v: Value): VectorValue {
  if (v.kind !== 'vector') throw execError(`expected instant vector argument, got ${v.kind}`);
  return v;
}
function stringOf(v: Value): string {
  if (v.kind !== 'string') throw execError(`expected string argument, got ${v.kind}`);
  return v.value;
}

/** Applies `f` to every present value, dropping `__name__` (2.42 simple functions). */
function mapValues(v: VectorValue, f: (x: number, i: number) => number | undefined, keepName = false): VectorValue {
  const out: StepSeries[] = [];
  for (const s of v.series) {
    const o = newSeries(keepName ? s.labels : dropName(s.labels), s.vs.length);
    for (let i = 0; i < s.vs.length; i++) {
      if (s.has[i] === 0) continue;
      const r = f(s.vs[i]!, i);
      if (r === undefined) continue;
      o.vs[i] = r; o.has[i] = 1;
    }
    out.push(o);
  }
  return { kind: 'vector', series: mergeSameLabels(out, true) };
}

/** Labels `absent()` reports for its argument (2.42 createLabelsForAbsentFunction). */
export function absentLabels(e: Expr): Labels {
  const arg = unwrapParens(e);
  let sel: VectorSelector | undefined;
  if (arg.type === 'VectorSelector') sel = arg;
  else if (arg.type === 'MatrixSelector') sel = arg.vectorSelector;
  if (sel === undefined) return [];
  const m = new Map<string, string>();
  const seen = new Set<string>();
  for (const x of sel.matchers) {
    if (x.name === METRIC_NAME) continue;
    if (x.type === '=' && !seen.has(x.name)) { m.set(x.name, x.value); seen.add(x.name); } else m.delete(x.name);
  }
  return labelsFromPairs([...m].filter(([, v]) => v !== '').map(([name, value]) => ({ name, value })));
}

function constantSeries(labels: Labels, n: number, mask: (i: number) => boolean, value: (i: number) => number): StepSeries[] {
  const s = newSeries(labels, n);
  for (let i = 0; i < n; i++) if (mask(i)) { s.vs[i] = value(i); s.has[i] = 1; }
  return [s];
}

/** Evaluates a function call over all steps. */
export async function evalCall(e: Call, ctx: EvalCtx, ev: Eval): Promise<Value> {
  const name = e.func.name;
  const n = ctx.steps.length;
  if (isRangeFunction(name)) {
    const mi = e.func.argTypes.indexOf('matrix');
    const scalars: ScalarValue[] = [];
    let m: MatrixValue | undefined;
    for (let i = 0; i < e.args.length; i++) {
      const arg = unwrapParens(e.args[i]!);
      // A range selector argument gets the function name as a select hint (as 2.42's SelectHints.Func).
      const v = i === mi && arg.type === 'MatrixSelector' ? await evalMatrixSelector(arg, ctx, { func: name }) : await ev(e.args[i]!, ctx);
      if (i === mi) { if (v.kind !== 'matrix') throw execError('expected range vector argument'); m = v; } else scalars.push(scalarOf(v));
    }
    if (name === 'absent_over_time') {
      // 2.42 computes it as a range function that yields 1 for every non-empty window (so those
      // outputs count as samples), then keeps the steps where no series had one.
      const found = evalRangeFunction('present_over_time', m!, [], ctx, false);
      const present = new Uint8Array(n);
      for (const s of found.series) for (let i = 0; i < n; i++) present[i] |= s.has[i]!;
      return { kind: 'vector', series: constantSeries(absentLabels(e.args[0]!), n, (i) => present[i] === 0, () => 1) };
    }
    return evalRangeFunction(name, m!, scalars, ctx);
  }
  const vals: Value[] = [];
  for (const a of e.args) vals.push(await ev(a, ctx));
  const r = applyCall(e, vals, ctx);
  checkStepAccounting(ctx.q, vals, r, n);
  return r;
}

/** A function with instant-vector/scalar/string arguments, already evaluated. */
function applyCall(e: Call, vals: Value[], ctx: EvalCtx): Value {
  const name = e.func.name;
  const n = ctx.steps.length;
  const simple = SIMPLE[name];
  if (simple !== undefined) return mapValues(vectorOf(vals[0]!), (x) => simple(x));
  const date = DATE[name];
  if (date !== undefined) {
    if (e.args.length === 0) return { kind: 'vector', series: constantSeries([], n, () => true, (i) => date(ctx.steps[i]! / 1000)) };
    return mapValues(vectorOf(vals[0]!), (x) => date(x));
  }
  switch (name) {
    case 'time': return { kind: 'scalar', vs: ctx.steps.map((t) => t / 1000) };
    case 'pi': return { kind: 'scalar', vs: new Float64Array(n).fill(Math.PI) };
    case 'vector': {
      const s = scalarOf(vals[0]!);
      return { kind: 'vector', series: constantSeries([], n, () => true, (i) => s.vs[i]!) };
    }
    case 'scalar': {
      const v = vectorOf(vals[0]!);
      const out = new Float64Array(n).fill(NaN);
      const count = new Uint32Array(n);
      for (const s of v.series) for (let i = 0; i < n; i++) if (s.has[i] === 1) { count[i]++; out[i] = s.vs[i]!; }
      for (let i = 0; i < n; i++) if (count[i] !== 1) out[i] = NaN;
      return { kind: 'scalar', vs: out };
    }
    case 'timestamp': {
      const arg = unwrapParens(e.args[0]!);
      const v = vectorOf(vals[0]!);
      if (arg.type === 'VectorSelector') {
        return { kind: 'vector', series: mergeSameLabels(v.series.map((s) => {
          const o = newSeries(dropName(s.labels), n);
          for (let i = 0; i < n; i++) if (s.has[i] === 1) { o.vs[i] = s.ts![i]! / 1000; o.has[i] = 1; }
          return o;
        }), true) };
      }
      return mapValues(v, (_x, i) => ctx.steps[i]! / 1000);
    }
    case 'absent': {
      const v = vectorOf(vals[0]!);
      const present = new Uint8Array(n);
      for (const s of v.series) for (let i = 0; i < n; i++) present[i] |= s.has[i]!;
      return { kind: 'vector', series: constantSeries(absentLabels(e.args[0]!), n, (i) => present[i] === 0, () => 1) };
    }
    case 'sort': case 'sort_desc': {
      const v = vectorOf(vals[0]!);
      if (n !== 1) return v;
      const present = v.series.filter((s) => s.has[0] === 1);
      const vs = Float64Array.from(present, (s) => s.vs[0]!);
      const order = new Int32Array(present.length);
      const c = k.sortOrder(vs, 0, vs.length, order, name === 'sort_desc');
      const sorted: StepSeries[] = [];
      for (let i = 0; i < c; i++) sorted.push(present[order[i]!]!);
      return { kind: 'vector', series: sorted };
    }
    case 'round': {
      const v = vectorOf(vals[0]!);
      const to = e.args.length > 1 ? scalarOf(vals[1]!).vs : undefined;
      return mapValues(v, (x, i) => (to === undefined ? k.math.round(x) : k.math.roundWithInverse(x, 1 / to[i]!)));
    }
    case 'clamp': {
      const v = vectorOf(vals[0]!);
      const lo = scalarOf(vals[1]!).vs, hi = scalarOf(vals[2]!).vs;
      return mapValues(v, (x, i) => (k.math.clampIsEmpty(lo[i]!, hi[i]!) ? undefined : k.math.clamp(x, lo[i]!, hi[i]!)));
    }
    case 'clamp_min': {
      const v = vectorOf(vals[0]!);
      const lo = scalarOf(vals[1]!).vs;
      return mapValues(v, (x, i) => k.math.clampMin(x, lo[i]!));
    }
    case 'clamp_max': {
      const v = vectorOf(vals[0]!);
      const hi = scalarOf(vals[1]!).vs;
      return mapValues(v, (x, i) => k.math.clampMax(x, hi[i]!));
    }
    case 'label_replace': {
      const v = vectorOf(vals[0]!);
      const [dst, repl, src, re] = vals.slice(1).map(stringOf);
      return labelReplace(v, dst!, repl!, src!, re!);
    }
    case 'label_join': {
      const v = vectorOf(vals[0]!);
      const strs = vals.slice(1).map(stringOf);
      return labelJoin(v, strs[0]!, strs[1]!, strs.slice(2));
    }
    case 'histogram_quantile': {
      const q = scalarOf(vals[0]!);
      const v = vectorOf(vals[1]!);
      return histogramQuantile(q.vs, v, n);
    }
    case 'histogram_count': case 'histogram_sum': case 'histogram_fraction': {
      // Over float samples these return nothing in 2.42; native histograms never reach this engine.
      return { kind: 'vector', series: [] };
    }
  }
  throw execError(`function ${JSON.stringify(name)} is not supported`);
}
