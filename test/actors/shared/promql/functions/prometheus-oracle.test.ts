/**
 * Oracle: the real Prometheus 2.42 engine (`promtool test rules`, /usr/bin/promtool) evaluates
 * expressions over generated series; every result it prints (shortest 'E' layout, so exact) is
 * compared with the kernels applied to the same samples. Skipped when promtool is absent.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as R from '../../../../../actors/shared/promql/functions/extrapolated-rate.js';
import * as O from '../../../../../actors/shared/promql/functions/over-time.js';
import * as A from '../../../../../actors/shared/promql/functions/aggregate.js';
import * as M from '../../../../../actors/shared/promql/functions/math.js';
import { deriv, predictLinear } from '../../../../../actors/shared/promql/functions/regression.js';
import { holtWinters } from '../../../../../actors/shared/promql/functions/holt-winters.js';
import { bucketQuantile } from '../../../../../actors/shared/promql/functions/histogram-quantile.js';
import { parseGoFloat } from '../../../../../actors/shared/promql/functions/parse-go-float.js';
import { pow, mod, atan2 } from '../../../../../actors/shared/promql/functions/binop.js';
import * as D from '../../../../../actors/shared/promql/functions/date.js';
import { selectTopk } from '../../../../../actors/shared/promql/functions/topk.js';
import { formatFloatF } from '../../../../../actors/shared/promql/format/go-float.js';
import { window, type Columns } from './series-helper.js';

const PROMTOOL = '/usr/bin/promtool';
const STEP = 15_000;
const POINTS = 80;
const LOOKBACK = 300_000;

// deterministic PRNG (mulberry32)
let seed = 0x5eed1234;
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = seed;
  x = Math.imul(x ^ (x >>> 15), x | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}

interface Series { name: string; labels: string; cols: Columns; spec: string }

function makeSeries(name: string, labels: string, gen: (i: number, prev: number) => number | undefined): Series {
  const ts: number[] = [];
  const vs: number[] = [];
  const toks: string[] = [];
  let prev = 0;
  for (let i = 0; i < POINTS; i++) {
    const v = gen(i, prev);
    if (v === undefined) { toks.push('_'); continue; }
    prev = v;
    ts.push(i * STEP);
    vs.push(v);
    toks.push(Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : String(v));
  }
  return { name, labels, cols: { ts: Float64Array.from(ts), vs: Float64Array.from(vs) }, spec: toks.join(' ') };
}

const counters: Series[] = [];
const gauges: Series[] = [];
for (let k = 0; k < 6; k++) {
  counters.push(makeSeries('c', `i="${k}"`, (i, prev) => {
    if (i > 0 && rnd() < 0.12) return undefined;
    if (i > 0 && rnd() < 0.06) return Math.floor(rnd() * 5);
    return prev + Math.floor(rnd() * 1000) / 7;
  }));
  gauges.push(makeSeries('g', `i="${k}"`, (i) => {
    if (i > 0 && rnd() < 0.1) return undefined;
    if (k === 5 && rnd() < 0.1) return NaN;
    return Math.round((rnd() - 0.4) * 10 ** Math.floor(rnd() * 6)) / 8 + 0; // + 0: no -0 (the YAML text would lose its sign)
  }));
}
const bounds = ['0.05', '0.1', '0.25', '1', '2.5', '+Inf'];
const buckets: Series[] = [];
{
  const cum = new Array<number>(bounds.length).fill(0);
  const perStep: number[][] = [];
  for (let i = 0; i < POINTS; i++) {
    let acc = 0;
    const row: number[] = [];
    for (let b = 0; b < bounds.length; b++) { acc += Math.floor(rnd() * 4); cum[b]! += acc; row.push(cum[b]!); }
    perStep.push(row);
  }
  bounds.forEach((le, b) => buckets.push(makeSeries('h_bucket', `le="${le}"`, (i) => perStep[i]![b])));
}

interface Case { expr: string; atMs: number; want: Map<string, number> }
const cases: Case[] = [];
const key = (labels: string): string => `{${labels}}`;

type RangeK = (c: Columns, s: number, e: number, rs: number, re: number, atMs: number) => number | undefined;
const rangeFns: Array<[string, RangeK]> = [
  ['rate(c[R])', (c, s, e, rs, re) => R.rate(c.ts, c.vs, s, e, rs, re)],
  ['increase(c[R])', (c, s, e, rs, re) => R.increase(c.ts, c.vs, s, e, rs, re)],
  ['delta(g[R])', (c, s, e, rs, re) => R.delta(c.ts, c.vs, s, e, rs, re)],
  ['irate(c[R])', (c, s, e) => R.irate(c.ts, c.vs, s, e)],
  ['idelta(g[R])', (c, s, e) => R.idelta(c.ts, c.vs, s, e)],
  ['deriv(g[R])', (c, s, e) => deriv(c.ts, c.vs, s, e)],
  ['predict_linear(c[R], 600)', (c, s, e, _rs, _re, at) => predictLinear(c.ts, c.vs, s, e, at, 600)],
  ['holt_winters(g[R], 0.3, 0.6)', (c, s, e) => holtWinters(c.vs, s, e, 0.3, 0.6)],
  ['sum_over_time(g[R])', (c, s, e) => O.sumOverTime(c.vs, s, e)],
  ['avg_over_time(g[R])', (c, s, e) => O.avgOverTime(c.vs, s, e)],
  ['min_over_time(g[R])', (c, s, e) => O.minOverTime(c.vs, s, e)],
  ['max_over_time(g[R])', (c, s, e) => O.maxOverTime(c.vs, s, e)],
  ['stddev_over_time(g[R])', (c, s, e) => O.stddevOverTime(c.vs, s, e)],
  ['stdvar_over_time(c[R])', (c, s, e) => O.stdvarOverTime(c.vs, s, e)],
  ['quantile_over_time(0.3, g[R])', (c, s, e) => O.quantileOverTime(0.3, c.vs, s, e)],
  ['changes(g[R])', (c, s, e) => O.changes(c.vs, s, e)],
  ['resets(c[R])', (c, s, e) => O.resets(c.vs, s, e)],
];
const times = [180_000, 437_000, 600_000, 991_000, 1_185_000];
const ranges: Array<[string, number]> = [['1m', 60_000], ['150s', 150_000], ['7m', 420_000]];
for (const atMs of times) {
  for (const [rs, rangeMs] of ranges) {
    for (const offset of [0, 45_000]) {
      for (const [tmpl, fn] of rangeFns) {
        const useCounters = /\(c\[|, c\[/.test(tmpl);
        const sel = offset === 0 ? `[${rs}]` : `[${rs}] offset 45s`;
        const expr = tmpl.replace('[R]', sel);
        const want = new Map<string, number>();
        for (const s of useCounters ? counters : gauges) {
          const re = atMs - offset;
          const [a, b] = window(s.cols, re - rangeMs, re);
          const v = fn(s.cols, a, b, re - rangeMs, re, atMs);
          if (v !== undefined) want.set(key(s.labels), v);
        }
        cases.push({ expr, atMs, want });
      }
    }
  }
}

/** Instant-vector value of each series at atMs (newest sample within the 5m lookback), input order. */
function instant(list: Series[], atMs: number): Array<[Series, number]> {
  const out: Array<[Series, number]> = [];
  for (const s of list) {
    const [a, b] = window(s.cols, atMs - LOOKBACK, atMs);
    if (b > a) out.push([s, s.cols.vs[b - 1]!]);
  }
  return out;
}

for (const atMs of times) {
  const gi = instant(gauges, atMs);
  const vals = Float64Array.from(gi.map((p) => p[1]));
  const n = vals.length;
  const agg: Array<[string, number]> = [
    ['sum(g)', A.aggSum(vals, 0, n)], ['avg(g)', A.aggAvg(vals, 0, n)], ['min(g)', A.aggMin(vals, 0, n)],
    ['max(g)', A.aggMax(vals, 0, n)], ['stddev(g)', A.aggStddev(vals, 0, n)], ['stdvar(g)', A.aggStdvar(vals, 0, n)],
    ['quantile(0.7, g)', A.aggQuantile(0.7, vals, 0, n)], ['count(g)', A.aggCount(vals, 0, n)],
  ];
  for (const [expr, v] of agg) cases.push({ expr, atMs, want: new Map([['{}', v]]) });
  const cv = new Map<string, number>();
  for (const [, v] of gi) cv.set(`{v="${formatFloatF(v)}"}`, (cv.get(`{v="${formatFloatF(v)}"}`) ?? 0) + 1);
  cases.push({ expr: 'count_values("v", g)', atMs, want: cv });
  const unary: Array<[string, (v: number) => number]> = [
    ['ln(g)', M.ln], ['log2(g)', M.log2], ['log10(g)', M.log10], ['sqrt(g)', M.sqrt], ['round(g, 0.3)', (v) => M.round(v, 0.3)],
    ['g ^ 3', (v) => pow(v, 3)], ['g % 0.7', (v) => mod(v, 0.7)], ['-g ^ -2', (v) => -pow(v, -2)], ['abs(g)', M.abs],
    ['deg(g)', M.deg], ['rad(g)', M.rad], ['sgn(g)', M.sgn], ['clamp(g, -10, 10)', (v) => M.clamp(v, -10, 10)],
    ['year(g * 1e6)', (v) => D.year(v * 1e6)], ['day_of_week(g * 1e5)', (v) => D.dayOfWeek(v * 1e5)],
    ['days_in_month(g * 3e6)', (v) => D.daysInMonth(v * 3e6)], ['hour(g * 1e4)', (v) => D.hour(v * 1e4)],
    ['day_of_year(g * 1e5)', (v) => D.dayOfYear(v * 1e5)], ['minute(g * 77)', (v) => D.minute(v * 77)],
    ['asin(g / 1e4)', (v) => M.asin(v / 1e4)], ['acos(g / 1e4)', (v) => M.acos(v / 1e4)],
    ['exp(g / 1000)', (v) => M.exp(v / 1000)], ['sin(g)', M.sin], ['cos(g)', M.cos], ['tan(g)', M.tan],
    ['atan(g)', M.atan], ['sinh(g / 100)', (v) => M.sinh(v / 100)], ['tanh(g / 100)', (v) => M.tanh(v / 100)],
    ['cosh(g / 100)', (v) => M.cosh(v / 100)], ['asinh(g)', M.asinh], ['acosh(g)', M.acosh], ['atanh(g / 1e4)', (v) => M.atanh(v / 1e4)],
    ['sin(g * 1e9)', (v) => M.sin(v * 1e9)], ['cos(g * 1e9)', (v) => M.cos(v * 1e9)], ['tan(g * 1e9)', (v) => M.tan(v * 1e9)],
    ['g ^ 1.5', (v) => pow(v, 1.5)], ['g atan2 3', (v) => atan2(v, 3)],
  ];
  for (const [expr, k] of [['topk(3, g)', false], ['bottomk(2, g)', true]] as const) {
    const out = new Int32Array(vals.length);
    const m = selectTopk(k ? 2 : 3, vals, 0, n, out, k);
    cases.push({ expr, atMs, want: new Map(Array.from(out.subarray(0, m), (i) => [key(gi[i]![0].labels), vals[i]!])) });
  }
  for (const [expr, fn] of unary) {
    cases.push({ expr, atMs, want: new Map(gi.map(([s, v]) => [key(s.labels), fn(v)])) });
  }
  // histogram_quantile over rate()d buckets and over raw buckets
  for (const q of [0.5, 0.9, 0.99]) {
    const rb = Float64Array.from(bounds.map((b) => parseGoFloat(b)!));
    const rc = Float64Array.from(buckets.map((s) => {
      const [a, b] = window(s.cols, atMs - 120_000, atMs);
      return R.rate(s.cols.ts, s.cols.vs, a, b, atMs - 120_000, atMs)!;
    }));
    cases.push({ expr: `histogram_quantile(${q}, rate(h_bucket[2m]))`, atMs, want: new Map([['{}', bucketQuantile(q, rb, rc, rb.length)]]) });
  }
}

function yaml(): string {
  const lines = ['evaluation_interval: 1s', 'tests:', '  - interval: 15s', '    input_series:'];
  for (const s of [...counters, ...gauges, ...buckets]) {
    lines.push(`      - series: '${s.name}{${s.labels}}'`, `        values: '${s.spec}'`);
  }
  lines.push('    promql_expr_test:');
  for (const c of cases) lines.push(`      - expr: '${c.expr.replace(/'/g, "''")}'`, `        eval_time: ${c.atMs / 1000}s`);
  return lines.join('\n') + '\n';
}

/** Prometheus model.Duration text ("7m17s", "3m", "500ms") → milliseconds. */
function durationMs(text: string): number {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  let ms = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) ms += Number(m[1]) * unit[m[2]!]!;
  return ms;
}

/**
 * Parses promtool's failure report: `expr: "<go %q>", time: <duration>,` then `got: {labels} 1.5E+00,
 * {…} …` (labels without commas). Expressions whose result equals the (empty) expectation are not
 * reported, so results are keyed by expression and time.
 */
function parseGot(out: string): Map<string, Map<string, number>> {
  const res = new Map<string, Map<string, number>>();
  let current = '';
  for (const line of out.split('\n')) {
    const e = /^\s+expr: (".*"), time: ([0-9a-z]+),$/.exec(line);
    if (e !== null) { current = `${JSON.parse(e[1]!) as string}@${durationMs(e[2]!)}`; continue; }
    const m = /^\s+got: (.*)$/.exec(line);
    if (m === null) continue;
    const map = new Map<string, number>();
    if (m[1] !== 'nil') {
      for (const part of m[1]!.split(/, (?=\{)/)) {
        const sp = part.lastIndexOf(' ');
        const lbl = part.slice(0, sp).replace(/__name__="[^"]*", /, '').replace(/\{__name__="[^"]*"\}/, '{}');
        const raw = part.slice(sp + 1);
        map.set(lbl, raw === 'NaN' ? NaN : raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw));
      }
    }
    res.set(current, map);
  }
  return res;
}

// promtool creates its in-memory series in Go map order, so the order in which an aggregation sees
// them varies between runs and order-dependent floating-point sums can differ in the last bits.
const approxExprs = /^(sum|avg|stddev|stdvar)\(g\)/;


t.test('kernels equal Prometheus 2.42 on generated data', { skip: existsSync(PROMTOOL) ? false : 'promtool not installed' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'promql-oracle-'));
  try {
    const file = join(process.env['PROMQL_ORACLE_DUMP'] ?? dir, 'oracle.yaml');
    writeFileSync(file, yaml());
    let out = '';
    try {
      out = execFileSync(PROMTOOL, ['test', 'rules', file], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      out = `${e.stdout ?? ''}\n${e.stderr ?? ''}`;
    }
    const got = parseGot(out);
    t.ok(got.size > cases.length * 0.9, `promtool reported ${got.size} of ${cases.length} expressions`);
    let compared = 0;
    let exactMisses = 0;
    const problems: string[] = [];
    for (const c of cases) {
      const g = got.get(`${c.expr}@${c.atMs}`) ?? new Map<string, number>();
      if (/^(topk|bottomk)/.test(c.expr)) {
        // promtool's series order is random, so among equal values the chosen series may differ:
        // compare the selected values only.
        const gv = [...g.values()].sort((x, y) => x - y).join(' ');
        const wv = [...c.want.values()].sort((x, y) => x - y).join(' ');
        if (gv !== wv) problems.push(`${c.expr} @${c.atMs / 1000}s: values ${wv} vs prometheus ${gv}`);
        compared += c.want.size;
        continue;
      }
      const gk = [...g.keys()].sort().join(' ');
      const wk = [...c.want.keys()].sort().join(' ');
      if (gk !== wk) problems.push(`${c.expr} @${c.atMs / 1000}s: series ${wk} vs prometheus ${gk}`);
      for (const [lbl, want] of c.want) {
        const p = g.get(lbl);
        if (p === undefined) continue;
        compared++;
        if (Object.is(p, want) || (Number.isNaN(p) && Number.isNaN(want)) || (p === 0 && want === 0)) continue;
        exactMisses++;
        const rel = Math.abs(p - want) / Math.max(Math.abs(p), Math.abs(want));
        if (!(approxExprs.test(c.expr) && rel < 1e-12)) problems.push(`${c.expr} @${c.atMs / 1000}s ${lbl}: ours ${want}, prometheus ${p}`);
      }
    }
    t.same(problems, [], 'no differences');
    t.ok(compared > 2000, `${compared} values compared, ${exactMisses} not bit-identical`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
