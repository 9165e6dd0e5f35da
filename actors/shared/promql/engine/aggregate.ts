import { labelsKey, METRIC_NAME, type Labels } from '../../labels/labels.js';
import { formatFloatF } from '../format/go-float.js';
import * as k from '../functions/index.js';
import type { AggregateExpr } from '../parser/ast.js';
import type { EvalCtx } from './context.js';
import { checkAlive, checkStepAccounting } from './context.js';
import { execError } from './errors.js';
import { isValidLabelName, mergeSameLabels, setLabel } from './labels-util.js';
import type { Eval } from './functions.js';
import type { ScalarValue, StepSeries, Value, VectorValue } from './values.js';
import { newSeries } from './values.js';

type Kernel = (vs: Float64Array, s: number, e: number) => number;
const KERNELS: Record<string, Kernel> = {
  sum: k.aggSum, avg: k.aggAvg, min: k.aggMin, max: k.aggMax, count: k.aggCount, group: k.aggGroup,
  stddev: k.aggStddev, stdvar: k.aggStdvar,
};

/** Output labels of a group (2.42 aggregation: `by` keeps, `without` removes plus `__name__`). */
export function groupLabels(ls: Labels, grouping: readonly string[], without: boolean): Labels {
  if (without) return ls.filter((l) => l.name !== METRIC_NAME && !grouping.includes(l.name));
  return ls.filter((l) => grouping.includes(l.name));
}

interface Group { labels: Labels; members: number[] }

function buildGroups(series: StepSeries[], grouping: readonly string[], without: boolean): Group[] {
  const byKey = new Map<string, Group>();
  const out: Group[] = [];
  series.forEach((s, i) => {
    const ls = groupLabels(s.labels, grouping, without);
    const key = labelsKey(ls);
    let g = byKey.get(key);
    if (g === undefined) { g = { labels: ls, members: [] }; byKey.set(key, g); out.push(g); }
    g.members.push(i);
  });
  return out;
}

/** For a single step, orders groups by their first member present at that step. */
function firstPresent(g: Group, series: StepSeries[]): number {
  for (const m of g.members) if (series[m]!.has[0] === 1) return m;
  return Number.MAX_SAFE_INTEGER;
}

export async function evalAggregate(e: AggregateExpr, ctx: EvalCtx, ev: Eval): Promise<Value> {
  const args: Value[] = [];
  const r = await aggregate(e, ctx, ev, args);
  checkStepAccounting(ctx.q, args, r, ctx.steps.length);
  return r;
}

async function aggregate(e: AggregateExpr, ctx: EvalCtx, ev: Eval, args: Value[]): Promise<Value> {
  const n = ctx.steps.length;
  let param: ScalarValue | undefined;
  let label = '';
  if (e.param !== undefined) {
    const p = await ev(e.param, ctx);
    if (p.kind === 'scalar') { param = p; args.push(p); }
    else if (p.kind === 'string') label = p.value;
  }
  const vIn = await ev(e.expr, ctx);
  if (vIn.kind !== 'vector') throw execError('aggregation over a non-vector');
  args.push(vIn);
  checkAlive(ctx.q);
  const series = vIn.series;
  if (e.op === 'count_values') return countValues(series, e, label, n);
  const groups = buildGroups(series, e.grouping, e.without);
  if (n === 1) {
    const first = new Map(groups.map((g) => [g, firstPresent(g, series)]));
    groups.sort((a, b) => first.get(a)! - first.get(b)!);
  }
  const maxMembers = groups.reduce((m, g) => Math.max(m, g.members.length), 0);
  const scratch = new Float64Array(maxMembers);
  const idx = new Int32Array(maxMembers);
  if (e.op === 'topk' || e.op === 'bottomk') return topk(series, groups, param!, e.op === 'bottomk', n, scratch, idx);
  const out: StepSeries[] = [];
  const kernel = KERNELS[e.op];
  for (const g of groups) {
    const o = newSeries(g.labels, n);
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (const m of g.members) { const s = series[m]!; if (s.has[i] === 1) scratch[c++] = s.vs[i]!; }
      if (c === 0) continue;
      o.vs[i] = e.op === 'quantile' ? k.aggQuantile(param!.vs[i]!, scratch, 0, c) : kernel!(scratch, 0, c);
      o.has[i] = 1;
    }
    out.push(o);
  }
  return { kind: 'vector', series: mergeSameLabels(out, true) };
}

function topk(series: StepSeries[], groups: Group[], param: ScalarValue, bottom: boolean, n: number, scratch: Float64Array, idx: Int32Array): VectorValue {
  const outOf = new Map<number, StepSeries>();
  const order: StepSeries[] = [];
  const sel = new Int32Array(scratch.length);
  for (let i = 0; i < n; i++) {
    const kv = param.vs[i]!;
    const err = k.topkParamError(kv);
    if (err !== undefined) throw execError(err);
    const kk = k.topkCount(kv);
    if (kk < 1) continue;
    for (const g of groups) {
      let c = 0;
      for (const m of g.members) { const s = series[m]!; if (s.has[i] === 1) { scratch[c] = s.vs[i]!; idx[c] = m; c++; } }
      if (c === 0) continue;
      const got = k.selectTopk(kk, scratch, 0, c, sel, bottom);
      for (let j = 0; j < got; j++) {
        const m = idx[sel[j]!]!;
        let o = outOf.get(m);
        if (o === undefined) { o = newSeries(series[m]!.labels, n); outOf.set(m, o); order.push(o); }
        o.vs[i] = scratch[sel[j]!]!; o.has[i] = 1;
      }
    }
  }
  return { kind: 'vector', series: mergeSameLabels(order, true) };
}

function countValues(series: StepSeries[], e: AggregateExpr, label: string, n: number): VectorValue {
  if (!isValidLabelName(label)) throw execError(`invalid label name ${JSON.stringify(label)}`);
  const grouping = e.without ? e.grouping : [...e.grouping, label];
  const byKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (let i = 0; i < n; i++) {
    for (const s of series) {
      if (s.has[i] === 0) continue;
      const ls = groupLabels(setLabel(s.labels, label, formatFloatF(s.vs[i]!)), grouping, e.without);
      const key = labelsKey(ls);
      let o = byKey.get(key);
      if (o === undefined) { o = newSeries(ls, n); byKey.set(key, o); out.push(o); }
      if (o.has[i] === 0) { o.has[i] = 1; o.vs[i] = 0; }
      o.vs[i]++;
    }
  }
  return { kind: 'vector', series: out };
}
