import t from 'tap';
import { labelsFromObject, type Labels } from '../../../../../actors/shared/labels/labels.js';
import {
  Engine, PromqlBadQueryError, PromqlCanceledError, PromqlExecutionError, PromqlTimeoutError, PromqlTooManySamplesError,
  type MatrixResult, type QueryValue,
} from '../../../../../actors/shared/promql/engine/index.js';
import { MemoryStorage } from '../../../../../actors/shared/promql/storage/index.js';

const L = (o: Record<string, string>): Labels => labelsFromObject(o);
const S = 1000, M = 60_000;

function store(): MemoryStorage {
  const st = new MemoryStorage();
  // foo{a="1"}: one sample every 15s from 0 to 10m, value = seconds.
  for (let ts = 0; ts <= 10 * M; ts += 15 * S) st.append(L({ __name__: 'foo', a: '1' }), ts, ts / 1000);
  // bar: samples at 0 and 60s, stale at 120s, sample again at 240s.
  st.append(L({ __name__: 'bar' }), 0, 1);
  st.append(L({ __name__: 'bar' }), 60 * S, 2);
  st.appendStale(L({ __name__: 'bar' }), 120 * S);
  st.append(L({ __name__: 'bar' }), 240 * S, 4);
  return st;
}

function vec(v: QueryValue): Array<[string, number]> {
  if (v.type !== 'vector') throw new Error(`expected vector, got ${v.type}`);
  return v.samples.map((s) => [s.labels.map((l) => `${l.name}=${l.value}`).join(','), s.v]);
}
function points(v: QueryValue): Array<[number, number]> {
  const m = v as MatrixResult;
  if (m.type !== 'matrix' || m.series.length !== 1) throw new Error('expected one series');
  return Array.from(m.series[0]!.ts, (ts, i) => [ts, m.series[0]!.vs[i]!]);
}

const engine = new Engine();

t.test('range query steps: start, start+step, … ≤ end, not aligned to the step', async (t) => {
  const r = await engine.rangeQuery(store(), 'foo', 7 * S, 67 * S, 20 * S);
  t.same(points(r.value).map((p) => p[0]), [7000, 27000, 47000, 67000]);
  t.same(points(r.value).map((p) => p[1]), [0, 15, 45, 60], 'newest sample at or before each step');
  const s = await engine.rangeQuery(store(), '1', 0, 10 * S, 3 * S);
  t.same(points(s.value).map((p) => p[0]), [0, 3000, 6000, 9000], 'scalar → one series {}');
});

t.test('lookback: closed at ref - 5m', async (t) => {
  const st = new MemoryStorage();
  st.append(L({ __name__: 'x' }), 10 * S, 1);
  t.same(vec((await engine.instantQuery(st, 'x', 10 * S + 5 * M)).value), [['__name__=x', 1]], 'exactly 5m old counts');
  t.same(vec((await engine.instantQuery(st, 'x', 10 * S + 5 * M + 1)).value), [], '5m + 1ms is too old');
  t.same(vec((await engine.instantQuery(st, 'x', 10 * S - 1)).value), [], 'future samples are not visible');
  const short = new Engine({ lookbackDeltaMs: M });
  t.same(vec((await short.instantQuery(st, 'x', 10 * S + 61 * S)).value), [], 'custom lookback');
});

t.test('staleness: a stale marker ends the series until the next sample', async (t) => {
  const st = store();
  t.same(vec((await engine.instantQuery(st, 'bar', 119 * S)).value), [['__name__=bar', 2]]);
  t.same(vec((await engine.instantQuery(st, 'bar', 120 * S)).value), [], 'at the marker');
  t.same(vec((await engine.instantQuery(st, 'bar', 200 * S)).value), [], 'after the marker, within lookback of older data');
  t.same(vec((await engine.instantQuery(st, 'bar', 240 * S)).value), [['__name__=bar', 4]], 'resumes');
  t.same(vec((await engine.instantQuery(st, 'count_over_time(bar[10m])', 300 * S)).value), [['', 3]], 'range selectors drop markers');
});

t.test('offset and @', async (t) => {
  const st = store();
  t.same(vec((await engine.instantQuery(st, 'foo offset 1m', 5 * M)).value), [['__name__=foo,a=1', 240]]);
  t.same(vec((await engine.instantQuery(st, 'foo offset -1m', 5 * M)).value), [['__name__=foo,a=1', 360]], 'negative offset');
  t.same(vec((await engine.instantQuery(st, 'foo @ 100', 5 * M)).value), [['__name__=foo,a=1', 90]]);
  t.same(vec((await engine.instantQuery(st, 'foo @ 100 offset 10s', 5 * M)).value), [['__name__=foo,a=1', 90]]);
  t.same(vec((await engine.instantQuery(st, 'foo offset 40s @ 100', 5 * M)).value), [['__name__=foo,a=1', 60]], 'either order');
  const r = await engine.rangeQuery(st, 'foo @ start()', 60 * S, 120 * S, 30 * S);
  t.same(points(r.value), [[60000, 60], [90000, 60], [120000, 60]], '@ start() is constant over the steps');
  const e = await engine.rangeQuery(st, 'foo @ end()', 60 * S, 120 * S, 30 * S);
  t.same(points(e.value).map((p) => p[1]), [120, 120, 120], '@ end()');
  const ts = await engine.instantQuery(st, 'timestamp(foo @ 100)', 5 * M);
  t.same(vec(ts.value), [['a=1', 90]], 'timestamp() of a pinned selector is the sample time');
});

t.test('subqueries: inner steps are absolute multiples of the step', async (t) => {
  const st = store();
  const r = await engine.instantQuery(st, 'foo[2m:40s]', 130 * S);
  const m = r.value as MatrixResult;
  t.equal(m.type, 'matrix');
  t.same(Array.from(m.series[0]!.ts), [40000, 80000, 120000], 'first multiple ≥ t - range, last ≤ t');
  t.same(Array.from(m.series[0]!.vs), [30, 75, 120]);
  const o = await engine.instantQuery(st, 'foo[1m:20s] offset 10s', 130 * S);
  t.same(Array.from((o.value as MatrixResult).series[0]!.ts), [60000, 80000, 100000, 120000], 'offset shifts the window, grid stays absolute');
  const d = await engine.instantQuery(st, 'count_over_time(foo[3m:])', 130 * S);
  t.same(vec(d.value), [['a=1', 3]], 'default step 1m: 60s, 120s (0s is a multiple but the series starts at 0 → 3 points)');
  const rng = await engine.rangeQuery(st, 'sum_over_time(foo[1m:30s])', 60 * S, 90 * S, 15 * S);
  t.same(points(rng.value), [[60000, 30 + 60], [75000, 30 + 60], [90000, 30 + 60 + 90]], 'range query picks each window from one inner grid');
});

t.test('limits: max samples, range parameters', async (t) => {
  const st = store();
  const small = new Engine({ maxSamples: 10 });
  await t.rejects(small.instantQuery(st, 'sum_over_time(foo[5m])', 10 * M), PromqlTooManySamplesError);
  await t.rejects(small.instantQuery(st, 'sum_over_time(foo[5m])', 10 * M), { message: 'query processing would load too many samples into memory in query execution' });
  t.same(vec((await small.instantQuery(st, 'foo', 10 * M)).value), [['__name__=foo,a=1', 600]], 'under the limit');
  await t.rejects(engine.rangeQuery(st, 'foo[5m]', 0, M, S), PromqlBadQueryError);
  await t.rejects(engine.rangeQuery(st, 'foo', 0, M, 0), PromqlBadQueryError);
  await t.rejects(engine.rangeQuery(st, 'foo', M, 0, S), PromqlBadQueryError);
  await t.rejects(engine.rangeQuery(st, 'foo', 0, 11_001 * S, S), { code: 'PROMQL_BAD_QUERY', message: /11,000 points/ });
  t.ok(await engine.rangeQuery(st, 'foo', 0, 11_000 * S + 999, S), '(end - start) / step = 11,000 is allowed (as 2.42)');
});

t.test('cancellation and timeout', async (t) => {
  const st = store();
  const ac = new AbortController();
  ac.abort(new Error('client went away'));
  await t.rejects(engine.instantQuery(st, 'foo', M, ac.signal), PromqlCanceledError);
  // A store that aborts the query while it is being read.
  const ac2 = new AbortController();
  const aborting = { select: (...args: Parameters<MemoryStorage['select']>) => { ac2.abort(); return st.select(args[0], args[1]); } };
  await t.rejects(engine.instantQuery(aborting, 'sum(foo)', M, ac2.signal), { code: 'PROMQL_CANCELED', message: 'query was canceled in query execution' });
  // A fake clock that jumps past the timeout when the store is read.
  let now = 1000;
  const timed = new Engine({ timeoutMs: 500, now: () => now });
  const slow = { select: (...args: Parameters<MemoryStorage['select']>) => { now += 1000; return st.select(args[0], args[1]); } };
  await t.rejects(timed.instantQuery(slow, 'foo', M), PromqlTimeoutError);
  await t.rejects(timed.instantQuery(slow, 'foo', M), { message: 'query timed out in query execution', retryable: true });
});

t.test('execution errors are typed', async (t) => {
  const st = new MemoryStorage();
  st.append(L({ __name__: 'a', x: '1' }), 0, 1);
  st.append(L({ __name__: 'b', x: '1' }), 0, 2);
  st.append(L({ __name__: 'c', x: '1', y: '1' }), 0, 3);
  st.append(L({ __name__: 'c', x: '1', y: '2' }), 0, 4);
  await t.rejects(engine.instantQuery(st, '{x="1"} + 1', 0), { code: 'PROMQL_EXECUTION', message: 'vector cannot contain metrics with the same labelset' });
  await t.rejects(engine.instantQuery(st, 'a + on(x) c', 0), { code: 'PROMQL_EXECUTION', message: /found duplicate series for the match group \{x="1"\} on the right hand-side.*many-to-many matching not allowed/ });
  await t.rejects(engine.instantQuery(st, 'c + on(x) group_right a', 0), { message: /multiple matches|duplicate series/ });
  await t.rejects(engine.instantQuery(st, 'c + ignoring(y) a', 0), { message: /found duplicate series|multiple matches/ });
  t.same(vec((await engine.instantQuery(st, 'c + on(x) group_left a', 0)).value).sort(), [['x=1,y=1', 4], ['x=1,y=2', 5]]);
  await t.rejects(engine.instantQuery(st, 'topk(NaN, a)', 0), PromqlExecutionError);
  await t.rejects(engine.instantQuery(st, 'holt_winters(a[1m], 2, 0.5)', 0), { message: /invalid smoothing factor/ });
  await t.rejects(engine.instantQuery(st, 'a +', 0), { code: 'PROMQL_PARSE' });
});

t.test('instant results keep evaluation order; range results are sorted', async (t) => {
  const st = new MemoryStorage();
  for (const [i, v] of [[1, 5], [2, 1], [3, 9]] as const) st.append(L({ __name__: 'm', i: String(i) }), 0, v);
  t.same(vec((await engine.instantQuery(st, 'sort_desc(m)', 0)).value).map((s) => s[1]), [9, 5, 1]);
  t.same(vec((await engine.instantQuery(st, 'bottomk(2, m)', 0)).value).map((s) => s[1]), [1, 5]);
  const r = (await engine.rangeQuery(st, 'sort_desc(m)', 0, 0, 1000)).value as MatrixResult;
  t.same(r.series.map((s) => s.labels[1]!.value), ['1', '2', '3']);
});

t.test('native histograms from a store are a clear error', async (t) => {
  const st = store();
  const hist = { select: (...args: Parameters<MemoryStorage['select']>) => st.select(args[0], args[1]).map((s) => ({ ...s, hasNativeHistograms: true })) };
  await t.rejects(engine.instantQuery(hist, 'foo', M), { code: 'PROMQL_EXECUTION', message: /^native histograms are not supported/ });
  t.same(vec((await engine.instantQuery(st, 'histogram_count(foo)', M)).value), [], 'histogram functions over floats: empty (2.42)');
});

t.test('step-invariant subtrees are evaluated once; accounting follows 2.42', async (t) => {
  const st = store();
  const calls: Array<[number, number]> = [];
  const counting = { select: (...args: Parameters<MemoryStorage['select']>) => { calls.push([args[1].startMs, args[1].endMs]); return st.select(args[0], args[1]); } };
  const r = await engine.rangeQuery(counting, 'sum(foo @ 100) + on() group_left count(bar)', 0, 300 * S, 10 * S);
  t.equal(calls.length, 2, 'one select per selector');
  t.same(calls[0], [100 * S - 5 * M, 100 * S], 'the pinned selector reads only around its @ time');
  t.equal(points(r.value).length, 19, 'bar is present at 19 of 31 steps (0–110 s, 240–300 s)');
  const lim = new Engine({ maxSamples: 40 });
  t.ok(await lim.rangeQuery(st, 'vector(1)', 0, 300 * S, 10 * S), '31 points of a step-invariant vector(1) fit in 40');
  await t.rejects(lim.rangeQuery(st, 'vector(time())', 0, 300 * S, 10 * S), PromqlTooManySamplesError, 'time() is evaluated per step: 31 + 31 + inputs > 40');
  const res = await engine.rangeQuery(st, 'sum(foo)', 0, 300 * S, 10 * S);
  t.ok(res.samples >= 62 && res.samples <= 31 * 3, `peak samples reported (${res.samples})`);
});

t.test('select hints name the range, step and function', async (t) => {
  const st = store();
  const seen: unknown[] = [];
  const spy = { select: (...args: Parameters<MemoryStorage['select']>) => { seen.push(args[1]); return st.select(args[0], args[1]); } };
  await engine.rangeQuery(spy, 'rate(foo[5m]) + bar', 10 * M, 20 * M, 30 * S);
  t.same(seen, [
    { startMs: 5 * M, endMs: 20 * M, stepMs: 30 * S, func: 'rate', rangeMs: 5 * M },
    { startMs: 5 * M, endMs: 20 * M, stepMs: 30 * S, func: undefined, grouping: undefined, by: undefined },
  ]);
});
