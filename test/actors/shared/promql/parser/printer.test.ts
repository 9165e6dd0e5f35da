import t from 'tap';
import { parseExpr, printExpr } from '../../../../../actors/shared/promql/parser/index.js';

/**
 * printExpr against expected texts taken from Prometheus 2.42's /api/v1/format_query (its `String()`
 * for one-line queries): matchers sorted by bytes, `__name__` handling, modifiers' order.
 * oracle.test.ts checks the same against the live binary over the compliance queries.
 */
const CASES: Array<[query: string, printed: string]> = [
  ['x{b="1",a="2"}', 'x{a="2",b="1"}'],
  // sorted on the whole `name op "value"` text, so the value breaks ties and `!` < `=` < `=~`
  ['x{a="b",a="a"}', 'x{a="a",a="b"}'],
  ['x{a=~"a|b",a!~"c",a!="d",a="e"}', 'x{a!="d",a!~"c",a="e",a=~"a|b"}'],
  // an explicit __name__ matcher is printed and sorted with the others
  ['{b="x",__name__="foo"}', '{__name__="foo",b="x"}'],
  // 2.42 skips `__name__="<selector name>"`, and with no name before the braces that is `__name__=""`
  ['{__name__="",a="b"}', '{a="b"}'],
  ['{__name__!="",a="b"}', '{__name__!="",a="b"}'],
  // Go's sort.Strings compares UTF-8 bytes: U+FF5E (EF BD 9E) before U+1F600 (F0 9F 98 80),
  // though UTF-16 order is the reverse
  ['x{a="😀",a="～"}', 'x{a="～",a="😀"}'],
  ['x{b="\\n",a="\\u00e9"}', 'x{a="é",b="\\n"}'],
  ['x{}', 'x'],
  // matrix: range, then @, then offset, whatever the source order
  ['x{b="1",a="2"}[5m] offset 1m @ 10', 'x{a="2",b="1"}[5m] @ 10.000 offset 1m'],
  ['x offset -1m30s @ start()', 'x @ start() offset -1m30s'],
  ['rate(x{b="",a=~".+"}[5m])[1h:] @ end() offset 5m', 'rate(x{a=~".+",b=""}[5m])[1h:] @ end() offset 5m'],
  ['max_over_time(x[1h:5m] offset 1d)', 'max_over_time(x[1h:5m] offset 1d)'],
  ['sum by(job)(x{z="1",job="a"})', 'sum by (job) (x{job="a",z="1"})'],
  ['count_values without() ("v", x)', 'count_values without () ("v", x)'],
  ['a + on(b) group_left(c) x{d="1",c="2"}', 'a + on (b) group_left (c) x{c="2",d="1"}'],
  ['a > bool 1e6', 'a > bool 1e+06'],
  ['-x{b="1",a="2"}', '-x{a="2",b="1"}'],
];

t.test('prints like Prometheus 2.42', async (t) => {
  for (const [q, want] of CASES) t.equal(printExpr(parseExpr(q)), want, q);
});

t.test('printing is stable: the printed text prints to itself', async (t) => {
  for (const [, want] of CASES) t.equal(printExpr(parseExpr(want)), want, want);
});

t.test('a grouped ignoring () is kept (2.42 drops it and changes the meaning)', async (t) => {
  // 2.42 prints `a * b`, which is one-to-one matching; we keep the clause.
  t.equal(printExpr(parseExpr('a * ignoring() group_left b')), 'a * ignoring () group_left () b');
  t.equal(printExpr(parseExpr('a * ignoring() group_right(x) b')), 'a * ignoring () group_right (x) b');
});
