import t from 'tap';
import {
  compareLabels, compareUtf8, getLabel, labelsEqual, labelsFromObject, labelsKey, labelsToString,
} from '../../../../actors/shared/labels/labels.js';
import { Matcher } from '../../../../actors/shared/labels/matcher.js';

t.test('compareUtf8 orders like Go byte comparison', async (t) => {
  const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const words = ['', 'a', 'ab', 'b', 'B', '\u00e9', '\uffff', '\ud83d\ude00', 'z\u0000', '\ue000', 'a\ud800\udc00'];
  for (const a of words) for (const b of words) {
    t.equal(Math.sign(compareUtf8(a, b)), Math.sign(byBytes(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
});

t.test('label sets: sorted, empty values dropped, printed like Prometheus', async (t) => {
  const ls = labelsFromObject({ job: 'api', __name__: 'up', empty: '', instance: 'h:1' });
  t.same(ls.map((l) => l.name), ['__name__', 'instance', 'job']);
  t.equal(getLabel(ls, 'job'), 'api');
  t.equal(labelsToString(ls), '{__name__="up", instance="h:1", job="api"}');
  t.equal(labelsToString(labelsFromObject({ a: 'q"\\\n' })), '{a="q\\"\\\\\\n"}');
  t.ok(labelsEqual(ls, labelsFromObject({ instance: 'h:1', job: 'api', __name__: 'up' })));
  t.not(labelsKey(labelsFromObject({ a: 'b' })), labelsKey(labelsFromObject({ ab: '' , a: 'b', c: 'd' })));
});

t.test('compareLabels: by name, then value, shorter prefix first', async (t) => {
  const a = labelsFromObject({ a: '1' });
  const ab = labelsFromObject({ a: '1', b: '1' });
  const a2 = labelsFromObject({ a: '2' });
  t.ok(compareLabels(a, ab) < 0);
  t.ok(compareLabels(ab, a2) < 0);
  t.equal(compareLabels(ab, labelsFromObject({ b: '1', a: '1' })), 0);
});

t.test('matchers follow Prometheus semantics', async (t) => {
  const cases: Array<[Matcher, string, boolean]> = [
    [new Matcher('=', 'a', 'x'), 'x', true],
    [new Matcher('=', 'a', ''), '', true],
    [new Matcher('!=', 'a', 'x'), '', true],
    [new Matcher('=~', 'a', 'x|y'), 'y', true],
    [new Matcher('=~', 'a', 'x'), 'xx', false],      // fully anchored
    [new Matcher('=~', 'a', '.*'), '', true],
    [new Matcher('=~', 'a', '.+'), '', false],
    [new Matcher('!~', 'a', 'x.*'), 'xyz', false],
    [new Matcher('=~', 'a', '(?i)abc'), 'ABC', true],
    [new Matcher('=~', 'a', 'a.c'), 'a\nc', false],  // '.' does not match newline, as in RE2
    [new Matcher('=~', 'a', '(?i:pro)metheus'), 'PROmetheus', true],   // RE2 inline flag group
    [new Matcher('=~', 'a', '(?i:pro)metheus'), 'PROMETHEUS', false],
    [new Matcher('=~', 'a', 'x(?i)y'), 'xY', true],
    [new Matcher('=~', 'a', 'x(?i)y'), 'XY', false],
    [new Matcher('=~', 'a', '(?s:a.c)'), 'a\nc', true],
    [new Matcher('=~', 'a', 'a.c'), 'a\rc', true],       // RE2's dot matches \r and U+2028, unlike JS's
    [new Matcher('=~', 'a', '.+'), '\u2028', true],
    [new Matcher('=~', 'a', '[.]'), 'x', false],          // a dot inside a class stays literal
    [new Matcher('=~', 'a', '[]a]+'), ']a]', true],        // RE2: a leading ] in a class is literal
    [new Matcher('=~', 'a', '[^]a]'), 'b', true],
    [new Matcher('=~', 'a', 'a\\.c'), 'abc', false],
    [new Matcher('=~', 'a', '(?i)[a-c]+'), 'AbC', true],
  ];
  // Escape line separators in names: TAP is line-based.
  const show = (v: string) => JSON.stringify(v).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  for (const [m, v, want] of cases) t.equal(m.matches(v), want, `${m.toString()} on ${show(v)}`);
  t.ok(new Matcher('=~', 'a', '.*').matchesEmpty());
  t.throws(() => new Matcher('=~', 'a', '(unclosed'), { code: 'LABELS_BAD_MATCHER' });
  t.throws(() => new Matcher('=~', 'a', '['), { code: 'LABELS_BAD_MATCHER' });
  t.throws(() => new Matcher('=~', 'a', 'a[b'), { code: 'LABELS_BAD_MATCHER' });
  t.throws(() => new Matcher('=~', 'a', '(?=x)'), { code: 'LABELS_BAD_MATCHER' });
});
