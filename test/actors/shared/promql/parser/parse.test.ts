import t from 'tap';
import { parseExpr, printExpr, ParseError, tryParse } from '../../../../../actors/shared/promql/parser/index.js';
import { plain, plainUnordered } from './plain.js';

const vs = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'VectorSelector', name, offset: 0, ...extra });

/** query → a subset of the plain AST it must produce. */
const shapes: Array<[string, unknown]> = [
  ['42', { type: 'NumberLiteral', value: 42 }],
  ['0x3d', { type: 'NumberLiteral', value: 61 }],
  ['010', { type: 'NumberLiteral', value: 8 }],
  ['1.23e-3', { type: 'NumberLiteral', value: 0.00123 }],
  ['.5', { type: 'NumberLiteral', value: 0.5 }],
  ['5.', { type: 'NumberLiteral', value: 5 }],
  ['iNf', { type: 'NumberLiteral', value: 'Infinity' }],
  ['-Inf', { type: 'NumberLiteral', value: '-Infinity' }],
  ['nAn', { type: 'NumberLiteral', value: 'NaN' }],
  ['- -1', { type: 'NumberLiteral', value: 1 }],
  ['-1 ^ 2', { type: 'UnaryExpr', op: '-', expr: { type: 'BinaryExpr', op: '^', lhs: { value: 1 }, rhs: { value: 2 } } }],
  ['2 ^ 3 ^ 2', { type: 'BinaryExpr', op: '^', lhs: { value: 2 }, rhs: { type: 'BinaryExpr', lhs: { value: 3 } } }],
  ['1 - 2 - 3', { type: 'BinaryExpr', op: '-', lhs: { type: 'BinaryExpr', op: '-' }, rhs: { value: 3 } }],
  ['1 + 2 * 3', { type: 'BinaryExpr', op: '+', rhs: { type: 'BinaryExpr', op: '*' } }],
  ['-a * b', { type: 'BinaryExpr', op: '*', lhs: { type: 'UnaryExpr', op: '-' } }],
  ['a or b and c', { type: 'BinaryExpr', op: 'or', rhs: { type: 'BinaryExpr', op: 'and' } }],
  ['a + b offset 5m', { type: 'BinaryExpr', lhs: vs('a'), rhs: vs('b', { offset: 300000 }) }],
  ['a + b @ 5', { type: 'BinaryExpr', rhs: vs('b', { at: { time: 5000 } }) }],
  ['-a offset 1m', { type: 'UnaryExpr', expr: vs('a', { offset: 60000 }) }],
  ['"a\\x41\\u00e9"', { type: 'StringLiteral', value: 'aAé' }],
  ["'it''s'".replace("''", "\\'"), { type: 'StringLiteral', value: "it's" }],
  ['`a\\n`', { type: 'StringLiteral', value: 'a\\n' }],
  ['foo', vs('foo', { matchers: [{ type: '=', name: '__name__', value: 'foo' }] })],
  ['{__name__=~"foo|bar"}', vs('', { matchers: [{ type: '=~', name: '__name__', value: 'foo|bar' }] })],
  ['foo{a!="b",c=~"d",e!~"f",}', { matchers: [{ type: '!=' }, { type: '=~' }, { type: '!~' }, { name: '__name__' }] }],
  ['sum', vs('sum')],
  ['foo{on="1", offset="2"}', { matchers: [{ name: 'on' }, { name: 'offset' }, { name: '__name__' }] }],
  ['foo offset -5m', vs('foo', { offset: -300000 })],
  ['foo offset 1h30m', vs('foo', { offset: 5400000 })],
  ['foo @ start()', vs('foo', { at: 'start' })],
  ['foo @ end() offset 1m', vs('foo', { at: 'end', offset: 60000 })],
  ['foo @ 1.5555', vs('foo', { at: { time: 1556 } })],
  ['foo @ -5', vs('foo', { at: { time: -5000 } })],
  ['foo[5m] offset 1m', { type: 'MatrixSelector', range: 300000, vectorSelector: vs('foo', { offset: 60000 }) }],
  ['rate(foo[1y2w3d4h5m6s7ms])', { type: 'Call', func: 'rate', args: [{ range: 31536000000 + 2 * 604800000 + 3 * 86400000 + 4 * 3600000 + 5 * 60000 + 6007 }] }],
  ['foo[5m:]', { type: 'SubqueryExpr', range: 300000, step: 0, offset: 0 }],
  ['rate(foo[5m])[30m:1m] @ 10 offset 1m', { type: 'SubqueryExpr', range: 1800000, step: 60000, offset: 60000, at: { time: 10000 }, expr: { type: 'Call' } }],
  ['sum by (a, b) (x)', { type: 'AggregateExpr', op: 'sum', grouping: ['a', 'b'], without: false }],
  ['sum(x) without (on, bool)', { type: 'AggregateExpr', grouping: ['on', 'bool'], without: true }],
  ['SUM BY (a) (x)', { type: 'AggregateExpr', op: 'sum', grouping: ['a'] }],
  ['topk(3, x)', { type: 'AggregateExpr', op: 'topk', param: { value: 3 }, expr: vs('x') }],
  ['count_values("v", x)', { type: 'AggregateExpr', op: 'count_values', param: { type: 'StringLiteral', value: 'v' } }],
  ['a + on(x) group_left(y) b', { type: 'BinaryExpr', matching: { card: 'many-to-one', on: true, labels: ['x'], include: ['y'] } }],
  ['a / ignoring(x) group_right b', { matching: { card: 'one-to-many', on: false, labels: ['x'], include: [] } }],
  ['a and b', { matching: { card: 'many-to-many' } }],
  ['a > bool 1', { returnBool: true }],
  ['1 + a', { type: 'BinaryExpr' }],
  ['(1)', { type: 'ParenExpr', expr: { value: 1 } }],
  ['histogram_quantile(0.9, rate(x[5m]))', { type: 'Call', func: 'histogram_quantile' }],
  ['holt_winters(x[5m], 0.5, 0.5)', { type: 'Call', func: 'holt_winters' }],
  ['label_join(x, "a", "-", "b", "c", "d")', { type: 'Call', args: [{}, {}, {}, {}, {}, {}] }],
  ['round(x)', { type: 'Call' }],
  ['x # a comment', vs('x')],
  ['sum by (a, a) (x)', { grouping: ['a', 'a'] }],
  ['a + on(x, x) group_left(y, y) b', { matching: { labels: ['x', 'x'], include: ['y', 'y'] } }],
  ['x{a=~"(?i:pro).*"}', { matchers: [{ value: '(?i:pro).*' }, {}] }],
];

t.test('queries parse to the expected AST', async (t) => {
  for (const [q, shape] of shapes) {
    const r = tryParse(q);
    if (!('expr' in r)) { t.fail(`${q}: ${r.error.message}`); continue; }
    t.match(plain(r.expr), shape, q);
    t.same(plainUnordered(parseExpr(printExpr(r.expr))), plainUnordered(r.expr), `${q} round-trips via ${printExpr(r.expr)}`);
  }
});

/** query → exact Prometheus 2.42 error message (as checked against the real 2.42 binary). */
const errors: Array<[string, string]> = [
  ['foo[5]', '1:5: parse error: missing unit character in duration'],
  ['foo offset 5', '1:12: parse error: unexpected number "5" in offset, expected duration'],
  ['foo @ 1m', '1:7: parse error: unexpected duration "1m" in @, expected timestamp'],
  ['foo[1.5m]', '1:5: parse error: not a valid duration string: "1.5m"'],
  ['1_000', '1:1: parse error: bad number or duration syntax: "1"'],
  ['rate(foo)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
  ['limitk(1, foo)', '1:1: parse error: unknown function with name "limitk"'],
  ['sort_by_label(foo, "a")', '1:1: parse error: unknown function with name "sort_by_label"'],
  ['Rate(foo[5m])', '1:1: parse error: unknown function with name "Rate"'],
  ['{"foo"="bar"}', '1:2: parse error: unexpected string "\\"foo\\"" in label matching, expected identifier or "}"'],
  ['foo offset 0s', '1:12: parse error: duration must be greater than 0'],
  ['foo[0s]', '1:5: parse error: duration must be greater than 0'],
  ['foo @ 1e20', '1:1: parse error: timestamp out of bounds for @ modifier: 100000000000000000000.000000'],
  ['1e400', '1:1: parse error: error parsing number: strconv.ParseFloat: parsing "1e400": value out of range'],
  ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{a=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['foo{__name__="bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"'],
  ['"a" + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
  ['a + b[5m]', '1:5: parse error: binary expression must contain only scalar and instant vector types'],
  ['a + bool b', '1:3: parse error: bool modifier can only be used on comparison operators'],
  ['1 > 1', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
  ['a and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ['a and on(x) group_left(y) b', '1:1: parse error: no grouping allowed for "and" operation'],
  ['a + on(x) group_left(x) b', '1:3: parse error: label "x" must not occur in ON and GROUP clause at once'],
  ['1 + on(x) a', '1:1: parse error: vector matching only allowed between instant vectors'],
  ['sum by (a) (x) by (b)', '1:16: parse error: unexpected <by>'],
  ['sum()', '1:1: parse error: no arguments for aggregate expression provided'],
  ['topk(x)', '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1'],
  ['topk("a", x)', '1:6: parse error: expected type scalar in aggregation parameter, got string'],
  ['count_values(5, x)', '1:14: parse error: expected type string in aggregation parameter, got scalar'],
  ['round(foo, 1, 2)', '1:1: parse error: expected at most 2 argument(s) in call to "round", got 3'],
  ['label_replace(foo, "a", "b", "c")', '1:1: parse error: expected 5 argument(s) in call to "label_replace", got 4'],
  ['label_join(foo, "a")', '1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 2'],
  ['time(foo)', '1:1: parse error: expected 0 argument(s) in call to "time", got 1'],
  ['rate(foo[5m],)', '1:13: parse error: trailing commas not allowed in function call args'],
  ['-"a"', '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"'],
  ['foo[5m][10m:]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
  ['(foo)[5m]', '1:6: parse error: ranges only allowed for vector selectors'],
  ['foo offset 1m[5m]', '1:14: parse error: no offset modifiers allowed before range'],
  ['sum(foo) offset 1m', '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery'],
  ['foo offset 1m offset 2m', '1:1: parse error: offset may not be set multiple times'],
  ['foo @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times'],
  ['sum by (nan) (x)', '1:9: parse error: unexpected number "nan" in grouping opts, expected label'],
  ['foo{a="b" c="d"}', '1:11: parse error: unexpected identifier "c" in label matching, expected "," or "}"'],
  ['foo{a=b}', '1:7: parse error: unexpected identifier "b" in label matching, expected string'],
  ['foo{a="b"', '1:10: parse error: unexpected end of input inside braces'],
  ['(foo', '1:5: parse error: unclosed left parenthesis'],
  ['foo[5m', '1:7: parse error: unclosed left bracket'],
  ['foo)', '1:5: parse error: unexpected right parenthesis \')\''],
  ['foo]', '1:4: parse error: unexpected right bracket \']\''],
  ['a =~ b', "1:3: parse error: unexpected character after '=': '~'"],
  ['"a\\\'b"', "1:1: parse error: unknown escape sequence U+0027 '''"],
  ['"abc', '1:1: parse error: unterminated quoted string'],
  ['  ', '1:1: parse error: no expression found in input'],
  ['# only a comment', '1:1: parse error: no expression found in input'],
  ['foo{a=~"("}', ''],
  ['foo[5m:1m] offset 1m offset 1m', ''],
  ['foo{a="b"}\n  + bar[5m]', '2:5: parse error: binary expression must contain only scalar and instant vector types'],
  ['foo @ start', ''],
  ['foo[5m:1m:1m]', ''],
  ['a + fill(0) b', ''],
  ['foo[5m+1m]', ''],
  ['foo anchored', ''],
  ['atan2', ''],
];

t.test('invalid queries fail with Prometheus 2.42 messages', async (t) => {
  for (const [q, msg] of errors) {
    const r = tryParse(q);
    if ('expr' in r) { t.fail(`${JSON.stringify(q)} parsed as ${printExpr(r.expr)}`); continue; }
    t.ok(r.error instanceof ParseError, q);
    t.equal(r.error.code, 'PROMQL_PARSE');
    t.equal(r.error.retryable, false);
    if (msg !== '') t.equal(r.error.message, msg, JSON.stringify(q));
    t.type(r.error.data?.position, 'number');
  }
  t.throws(() => parseExpr('rate(x)'), ParseError);
});
