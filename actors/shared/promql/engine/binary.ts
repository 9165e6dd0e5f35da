import { labelsKey, labelsToString, getLabel, type Labels } from '../../labels/labels.js';
import * as k from '../functions/index.js';
import { isComparisonOp, isSetOp, type BinaryExpr, type ComparisonOp, type ArithmeticOp, type VectorMatching } from '../parser/ast.js';
import { checkAlive, checkStepAccounting, type EvalCtx } from './context.js';
import { execError } from './errors.js';
import { dropName, matchLabels, mergeSameLabels, setLabel, signature } from './labels-util.js';
import type { Eval } from './functions.js';
import type { ScalarValue, StepSeries, Value, VectorValue } from './values.js';
import { newSeries } from './values.js';

/** Arithmetic operators that drop `__name__` in 2.42 (`atan2` keeps it until 2.47). */
function dropsName(op: string): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^';
}

/** (value, keep) of one element pair; a comparison keeps the left value. */
function elem(e: BinaryExpr, l: number, r: number): number | undefined {
  if (isComparisonOp(e.op)) {
    const ok = k.compare(e.op as ComparisonOp, l, r);
    if (e.returnBool) return ok ? 1 : 0;
    return ok ? l : undefined;
  }
  return k.arithmeticKernel(e.op as ArithmeticOp)(l, r);
}

export async function evalBinary(e: BinaryExpr, ctx: EvalCtx, ev: Eval): Promise<Value> {
  const lhs = await ev(e.lhs, ctx);
  const rhs = await ev(e.rhs, ctx);
  checkAlive(ctx.q);
  const r = binary(e, lhs, rhs, ctx.steps.length);
  checkStepAccounting(ctx.q, [lhs, rhs], r, ctx.steps.length);
  return r;
}

function binary(e: BinaryExpr, lhs: Value, rhs: Value, n: number): Value {
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = elem(e, lhs.vs[i]!, rhs.vs[i]!);
      // Scalar comparisons always carry `bool` (the parser enforces it), so v is defined.
      out[i] = v ?? NaN;
    }
    return { kind: 'scalar', vs: out };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar') return vectorScalar(e, lhs, rhs, false);
  if (lhs.kind === 'scalar' && rhs.kind === 'vector') return vectorScalar(e, rhs, lhs, true);
  if (lhs.kind !== 'vector' || rhs.kind !== 'vector') throw execError(`invalid operand types for binary operator ${e.op}`);
  const matching: VectorMatching = e.matching ?? { card: 'one-to-one', on: false, labels: [], include: [] };
  if (isSetOp(e.op)) return setOp(e.op, lhs, rhs, matching, n);
  return vectorVector(e, lhs, rhs, matching, n);
}

function vectorScalar(e: BinaryExpr, v: VectorValue, s: ScalarValue, swapped: boolean): VectorValue {
  const cmp = isComparisonOp(e.op);
  const drop = (cmp && e.returnBool) || (!cmp && dropsName(e.op));
  const out: StepSeries[] = [];
  for (const x of v.series) {
    const o = newSeries(drop ? dropName(x.labels) : x.labels, x.vs.length);
    for (let i = 0; i < x.vs.length; i++) {
      if (x.has[i] === 0) continue;
      const a = x.vs[i]!, b = s.vs[i]!;
      let r = swapped ? elem(e, b, a) : elem(e, a, b);
      if (r === undefined) continue;
      // A kept comparison returns the vector's value even when the scalar is on the left.
      if (cmp && !e.returnBool) r = a;
      o.vs[i] = r; o.has[i] = 1;
    }
    out.push(o);
  }
  return { kind: 'vector', series: mergeSameLabels(out, true) };
}

function sigIds(series: StepSeries[], m: VectorMatching, ids: Map<string, number>): Int32Array {
  const out = new Int32Array(series.length);
  series.forEach((s, i) => {
    const key = signature(s.labels, m.on, m.labels);
    let id = ids.get(key);
    if (id === undefined) { id = ids.size; ids.set(key, id); }
    out[i] = id;
  });
  return out;
}

function setOp(op: 'and' | 'or' | 'unless', lhs: VectorValue, rhs: VectorValue, m: VectorMatching, n: number): VectorValue {
  const ids = new Map<string, number>();
  const ls = sigIds(lhs.series, m, ids), rs = sigIds(rhs.series, m, ids);
  const mark = new Int32Array(ids.size).fill(-1);
  const out: StepSeries[] = lhs.series.map((s) => newSeries(s.labels, n));
  const outR: StepSeries[] = op === 'or' ? rhs.series.map((s) => newSeries(s.labels, n)) : [];
  for (let i = 0; i < n; i++) {
    const src = op === 'or' ? lhs.series : rhs.series;
    const sids = op === 'or' ? ls : rs;
    src.forEach((s, j) => { if (s.has[i] === 1) mark[sids[j]!] = i; });
    lhs.series.forEach((s, j) => {
      if (s.has[i] === 0) return;
      const hit = mark[ls[j]!] === i;
      if (op === 'or' || (op === 'and' && hit) || (op === 'unless' && !hit)) { out[j]!.vs[i] = s.vs[i]!; out[j]!.has[i] = 1; }
    });
    if (op === 'or') {
      rhs.series.forEach((s, j) => {
        if (s.has[i] === 0 || mark[rs[j]!] === i) return;
        outR[j]!.vs[i] = s.vs[i]!; outR[j]!.has[i] = 1;
      });
    }
  }
  return { kind: 'vector', series: mergeSameLabels([...out, ...outR], true) };
}

function resultLabels(e: BinaryExpr, many: Labels, one: Labels, m: VectorMatching): Labels {
  let ls = many;
  if (dropsName(e.op) || (isComparisonOp(e.op) && e.returnBool)) ls = dropName(ls);
  if (m.card === 'one-to-one') {
    ls = m.on ? ls.filter((l) => m.labels.includes(l.name)) : ls.filter((l) => !m.labels.includes(l.name));
  }
  for (const name of m.include) ls = setLabel(ls, name, getLabel(one, name) ?? '');
  return ls;
}

function vectorVector(e: BinaryExpr, lhs: VectorValue, rhs: VectorValue, m: VectorMatching, n: number): VectorValue {
  const oneToMany = m.card === 'one-to-many';
  // As 2.42: for group_right swap sides so the "one" side is always `oneS`.
  const manyS = oneToMany ? rhs.series : lhs.series;
  const oneS = oneToMany ? lhs.series : rhs.series;
  const ids = new Map<string, number>();
  const manyIds = sigIds(manyS, m, ids), oneIds = sigIds(oneS, m, ids);
  const oneAt = new Int32Array(ids.size);
  const oneStep = new Int32Array(ids.size).fill(-1);
  const matchedStep = new Int32Array(ids.size).fill(-1);
  const outByPair = new Map<number, StepSeries>();
  const outByKey = new Map<string, StepSeries>();
  const order: StepSeries[] = [];
  const insertedStep = new Map<StepSeries, number>();
  const np = oneS.length;
  for (let i = 0; i < n; i++) {
    if (!anyAt(manyS, i) || !anyAt(oneS, i)) continue;
    for (let j = 0; j < oneS.length; j++) {
      const s = oneS[j]!;
      if (s.has[i] === 0) continue;
      const id = oneIds[j]!;
      if (oneStep[id] === i) {
        const a = oneS[oneAt[id]!]!, b = s;
        throw execError(`found duplicate series for the match group ${labelsToString(matchLabels(b.labels, m.on, m.labels))} on the ${oneToMany ? 'left' : 'right'} hand-side of the operation: [${labelsToString(b.labels)}, ${labelsToString(a.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`);
      }
      oneStep[id] = i; oneAt[id] = j;
    }
    for (let j = 0; j < manyS.length; j++) {
      const s = manyS[j]!;
      if (s.has[i] === 0) continue;
      const id = manyIds[j]!;
      if (oneStep[id] !== i) continue;
      const oj = oneAt[id]!;
      const o = oneS[oj]!;
      const vl = oneToMany ? o.vs[i]! : s.vs[i]!;
      const vr = oneToMany ? s.vs[i]! : o.vs[i]!;
      const v = elem(e, vl, vr);
      if (v === undefined) continue;
      if (m.card === 'one-to-one') {
        if (matchedStep[id] === i) throw execError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
        matchedStep[id] = i;
      }
      const pair = j * np + oj;
      let out = outByPair.get(pair);
      if (out === undefined) {
        const ls = resultLabels(e, s.labels, o.labels, m);
        const key = labelsKey(ls);
        out = outByKey.get(key);
        if (out === undefined) { out = newSeries(ls, n); outByKey.set(key, out); order.push(out); }
        outByPair.set(pair, out);
      }
      if (m.card !== 'one-to-one' && insertedStep.get(out) === i) {
        throw execError('multiple matches for labels: grouping labels must ensure unique matches');
      }
      insertedStep.set(out, i);
      if (out.has[i] === 1) throw execError('vector cannot contain metrics with the same labelset');
      out.vs[i] = v; out.has[i] = 1;
    }
  }
  return { kind: 'vector', series: order.filter((s) => s.has.some((x) => x === 1)) };
}

function anyAt(series: StepSeries[], i: number): boolean {
  for (const s of series) if (s.has[i] === 1) return true;
  return false;
}
