import t from 'tap';
import { readFileSync } from 'node:fs';
import {
  parseSeriesDesc, parseTestScript, TestScriptError, type Command, type SequenceValue,
} from '../../../../../actors/shared/promql/testscript/index.js';

const vals = (xs: readonly SequenceValue[]) => xs.map((v) => (v.omitted ? '_' : v.stale ? 'stale' : v.value));

t.test('value sequences expand like Prometheus 2.42', async (t) => {
  t.same(vals(parseSeriesDesc('m 0+10x3').values), [0, 10, 20, 30]);
  t.same(vals(parseSeriesDesc('m 5x2').values), [5, 5, 5]);
  t.same(vals(parseSeriesDesc('m -3-1x3').values), [-3, -4, -5, -6]);
  t.same(vals(parseSeriesDesc('m 1 2 _ 4 stale 6').values), [1, 2, '_', 4, 'stale', 6]);
  t.same(vals(parseSeriesDesc('m _x3 1').values), ['_', '_', '_', 1]);
  t.same(vals(parseSeriesDesc('m -3.5 1e3 .5 Inf +Inf -Inf').values), [-3.5, 1000, 0.5, Infinity, Infinity, -Infinity]);
  t.ok(Number.isNaN((parseSeriesDesc('m NaN').values[0] as { value: number }).value));
  t.same(vals(parseSeriesDesc('m Inf+1x1').values), [Infinity, Infinity]);
  t.same(vals(parseSeriesDesc('m 0.1+0.1x2').values), [0.1, 0.2, 0.30000000000000004], 'accumulates like Go');
  t.same(vals(parseSeriesDesc('m').values), []);
  t.same(vals(parseSeriesDesc('m 0x10').values), Array(11).fill(0), 'no hex: 0 repeated');
  for (const bad of ['m 1+Infx2', 'm 1+2', 'm stalex2', 'm Infx2', 'm abc', 'm 1 +', 'm{a=~"b"} 1', 'm{a="b" 1', 'bool 1', '5 1']) {
    t.throws(() => parseSeriesDesc(bad), bad);
  }
});

t.test('series labels', async (t) => {
  t.same(parseSeriesDesc('http_requests{job="api", instance="0"} 1').labels,
    [{ name: '__name__', value: 'http_requests' }, { name: 'instance', value: '0' }, { name: 'job', value: 'api' }]);
  t.same(parseSeriesDesc('{__name__="weird", a="b\\n"} 1').labels, [{ name: '__name__', value: 'weird' }, { name: 'a', value: 'b\n' }]);
  t.same(parseSeriesDesc("{a='x',} 1").labels, [{ name: 'a', value: 'x' }]);
  t.same(parseSeriesDesc('{} 1').labels, []);
  t.same(parseSeriesDesc('sum:rate{a="1"} 1').labels[0], { name: '__name__', value: 'sum:rate' });
});

const script = `
# a comment
load 5m
  http_requests{job="api"} 0+10x2
  http_requests{job="api"} 1 2
  other 1

  # comment lines count as blank

eval instant at 10m sum(http_requests)
  {} 2

eval_ordered instant at 1h sort(other)
    other 1

eval_fail instant at 0 rate(other[5m]) / on() group_left other

eval instant at 50m 1 / 0
  +Inf

clear
store {region="eu"} 0 2h
load 1m
  x 1
`;

t.test('commands of a script', async (t) => {
  const cmds = parseTestScript(script);
  t.same(cmds.map((c) => c.kind), ['load', 'eval', 'eval', 'eval', 'eval', 'clear', 'store', 'load']);
  const load = cmds[0]!;
  if (load.kind !== 'load') throw new Error('load');
  t.equal(load.interval, 300_000);
  t.equal(load.line, 3);
  t.equal(load.series.length, 2, 'a series repeated in one block keeps its last line');
  t.same(vals(load.series[0]!.values), [1, 2]);
  t.equal(load.store, undefined);
  const e1 = cmds[1]!;
  if (e1.kind !== 'eval') throw new Error('eval');
  t.equal(e1.at, 600_000);
  t.equal(e1.mode, 'normal');
  t.equal(e1.expr, 'sum(http_requests)');
  t.equal(e1.ast.type, 'AggregateExpr');
  t.same(e1.expected, { kind: 'vector', series: [{ labels: [], value: { omitted: false, value: 2, stale: false }, line: 11 }] });
  t.match(cmds[2], { kind: 'eval', mode: 'ordered', at: 3_600_000, line: 13 });
  t.match(cmds[3], { kind: 'eval', mode: 'fail', at: 0, line: 16, expected: { kind: 'vector', series: [] } });
  t.match(cmds[4], { kind: 'eval', expected: { kind: 'scalar', value: Infinity } });
  t.match(cmds[6], { kind: 'store', store: { index: 0, labels: [{ name: 'region', value: 'eu' }], mint: 0, maxt: 7_200_000 } });
  t.match(cmds[7], { kind: 'load', store: { index: 0 } });
});

t.test('malformed scripts fail with the line number', async (t) => {
  const cases: Array<[string, number, RegExp]> = [
    ['eval instant at 1m 1\n  1\n  {} 5\n', 3, /invalid command "\{\} 5"/],
    ['EVAL instant at 1m x\n', 1, /invalid evaluation command/],
    ['load\n', 1, /invalid load command/],
    ['load 5x\n', 1, /invalid step definition "5x"/],
    ['load 1m\n  m 1+\n', 2, /series values/],
    ['eval instant at 1m rate(x)\n', 1, /expected type range vector in call to function "rate", got instant vector/],
    ['eval instant at 1m x\n  x 1 2\n', 2, /expecting multiple values in instant evaluation not allowed/],
    ['eval instant 1m x\n', 1, /invalid evaluation command/],
    ['eval instant at x y\n', 1, /invalid step definition/],
    ['frobnicate\n', 1, /invalid command/],
    ['store {a="b"} 2h 1h\n', 1, /before mint/],
    ['store a\n', 1, /invalid store command/],
  ];
  for (const [text, line, re] of cases) {
    try { parseTestScript(text); t.fail(`no error for ${JSON.stringify(text)}`); } catch (e) {
      t.ok(e instanceof TestScriptError, text);
      if (!(e instanceof TestScriptError)) continue;
      t.equal(e.code, 'PROMQL_TESTSCRIPT');
      t.equal(e.data?.line, line, text);
      t.match(e.message, re, text);
      t.match(e.message, new RegExp(`^line ${line}: `));
    }
  }
});

/** Counts taken independently of the parser (grep over the files); clear lines, load lines, evals per kind. */
const expected: Record<string, { load: number; clear: number; eval: number; fail: number; ordered: number; loadedSeries: number; expectedLines: number }> = {};

t.test('all Prometheus 2.42 scripts parse, with the expected numbers of commands', async (t) => {
  const dir = '/work/shared/promql-tests';
  const files = ['functions', 'histograms', 'literals', 'operators', 'selectors', 'staleness', 'trig_functions'];
  const want: Record<string, [number, number, number, number, number]> = {
    // load, clear, eval, eval_fail, eval_ordered
    functions: [30, 31, 201, 4, 2],
    histograms: [7, 0, 37, 1, 0],
    literals: [0, 0, 20, 0, 0],
    operators: [10, 5, 93, 1, 0],
    selectors: [7, 4, 31, 0, 0],
    staleness: [2, 1, 14, 0, 0],
    trig_functions: [1, 1, 19, 0, 0],
  };
  let evals = 0;
  for (const f of files) {
    const text = readFileSync(`${dir}/${f}.test`, 'utf8');
    const cmds = parseTestScript(text);
    const count = (p: (c: Command) => boolean) => cmds.filter(p).length;
    const got = [count((c) => c.kind === 'load'), count((c) => c.kind === 'clear'), count((c) => c.kind === 'eval' && c.mode === 'normal'),
      count((c) => c.kind === 'eval' && c.mode === 'fail'), count((c) => c.kind === 'eval' && c.mode === 'ordered')];
    t.same(got, want[f], f);
    // Cross-check against a plain line count of the file.
    const lines = text.split('\n').map((l) => l.trim());
    t.equal(got[0], lines.filter((l) => /^load\s/.test(l)).length, `${f} load lines`);
    t.equal(got[1], lines.filter((l) => l === 'clear').length, `${f} clear lines`);
    t.equal(got[2]! + got[3]! + got[4]!, lines.filter((l) => /^eval(_fail|_ordered)?\s/.test(l)).length, `${f} eval lines`);
    evals += got[2]! + got[3]! + got[4]!;
    for (const c of cmds) if (c.kind === 'load') t.ok(c.series.length > 0, `${f}:${c.line} load has series`);
  }
  t.equal(evals, 423);
  void expected;
});

t.test('details of real scripts', async (t) => {
  const stale = parseTestScript(readFileSync('/work/shared/promql-tests/staleness.test', 'utf8'));
  const load = stale[0]!;
  if (load.kind !== 'load') throw new Error('load');
  t.equal(load.interval, 10_000);
  t.same(vals(load.series[0]!.values), [0, 1, 'stale', 2]);
  const lits = parseTestScript(readFileSync('/work/shared/promql-tests/literals.test', 'utf8'));
  t.ok(lits.every((c) => c.kind === 'eval' && c.expected.kind === 'scalar'), 'literals.test expects scalars only');
});
