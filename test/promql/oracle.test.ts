// The PromQL oracle (see oracle-runner.ts and docs/promql-compliance.md): all 539 queries of the
// compliance suite, as range queries on a real Prometheus 2.42 and on our Engine over
// BlockQueryable, both reading the same promtool-backfilled blocks. Asserts the pass count floor
// and that the failing set is exactly oracle-known-failures.txt.
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { labelsFromObject } from '../../actors/shared/labels/labels.js';
import { compareRangeResults, formatReport, runOracle } from './oracle-runner.js';

/** Current floor: every query agrees. Raise it (never lower it) as failures get fixed. */
const MIN_PASSED = 539;
const KNOWN = new URL('./oracle-known-failures.txt', import.meta.url);

t.test('comparison rules catch differences', async (t) => {
  const body = (values: [number, string][]): unknown => ({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { a: '1' }, values }] } });
  const ours = (vs: number[]): { type: 'matrix'; series: { labels: ReturnType<typeof labelsFromObject>; ts: Float64Array; vs: Float64Array }[] } =>
    ({ type: 'matrix', series: [{ labels: labelsFromObject({ a: '1' }), ts: Float64Array.of(1000, 2000), vs: Float64Array.from(vs) }] });
  t.equal(compareRangeResults(body([[1, 'NaN'], [2, '+Inf']]), ours([NaN, Infinity]), 1e-5).kind, 'equal');
  t.equal(compareRangeResults(body([[1, '100000'], [2, '1']]), ours([100000.5, 1]), 1e-5).kind, 'equal');
  t.equal(compareRangeResults(body([[1, '1'], [2, '1']]), ours([1, 1.0001]), 1e-5).kind, 'differ');
  t.equal(compareRangeResults(body([[1, '1'], [2, '0']]), ours([1, NaN]), 1e-5).kind, 'differ');
  t.equal(compareRangeResults(body([[1, '1']]), ours([1, 1]), 1e-5).kind, 'differ', 'extra point');
  const other = { status: 'success', data: { resultType: 'matrix', result: [{ metric: { a: '2' }, values: [[1, '1'], [2, '1']] }] } };
  t.equal(compareRangeResults(other, ours([1, 1]), 1e-5).kind, 'differ', 'labels differ');
  t.equal(compareRangeResults({ status: 'error', error: 'x' }, new Error('y'), 1e-5).kind, 'both-failed');
  t.equal(compareRangeResults({ status: 'error', error: 'x' }, ours([1, 1]), 1e-5).kind, 'prom-failed');
});

t.test('compliance queries: our engine over blocks vs prometheus 2.42 over the same blocks', async (t) => {
  const report = await runOracle();
  t.comment(formatReport(report).trimEnd());
  const known = new Set((await readFile(KNOWN, 'utf8')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')));
  const failing = new Set(report.outcomes.filter((o) => !o.pass).map((o) => o.query));
  t.equal(report.total, 539, 'every line of expanded-queries.txt ran');
  t.ok(report.passed >= MIN_PASSED, `pass count ${report.passed} ≥ floor ${MIN_PASSED}`);
  const unexpected = report.outcomes.filter((o) => !o.pass && !known.has(o.query)).map((o) => `${o.expect} ${o.query}: ${o.detail}`);
  const fixed = [...known].filter((q) => !failing.has(q));
  t.same(unexpected, [], 'no failure outside oracle-known-failures.txt');
  t.same(fixed, [], 'every query listed in oracle-known-failures.txt still fails (remove the ones that pass)');
  t.ok(report.nonEmpty > report.total * 0.8, `most queries return data (${report.nonEmpty})`);
  t.ok(report.blocks >= 3, 'the data spans several blocks');
});
