import t from 'tap';
import * as B from '../../../../../actors/shared/promql/functions/binop.js';
import * as M from '../../../../../actors/shared/promql/functions/math.js';
import * as D from '../../../../../actors/shared/promql/functions/date.js';

const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

t.test('arithmetic kernels (operators.test values)', async (t) => {
  const sums = [1000, 2600]; // SUM(http_requests) BY (job) at 50m: api-server, app-server
  t.same(sums.map((v) => B.mod(v, 3)), [1, 2]);
  t.ok(Math.abs(B.mod(1000, 0.3) - 0.1) < 1e-9 && Math.abs(B.mod(2600, 0.3) - 0.2) < 1e-9);
  t.same(sums.map((v) => B.pow(v, 2)), [1e6, 6760000]);
  t.same(sums.map((v) => B.mod(v, B.pow(3, 2))), [1, 8]);
  t.same(sums.map((v) => B.mod(v, B.pow(2, B.pow(3, 2)))), [488, 40]);
  t.same(sums.map((v) => B.mod(v, B.pow(2, B.pow(3, B.pow(2, 2))))), [1000, 2600]);
  t.equal(B.pow(4, 4), 256);
  t.ok(Number.isNaN(B.mod(0, 0)), '0 % 0');
  t.equal(B.mul(-2, B.pow(B.div(1, -1), -1)) * 3, 6, '-2^---1*3 = 6');
  t.equal(B.arithmeticKernel('^')(2, 10), 1024);
  t.equal(B.arithmeticKernel('%')(-7, 3), -1, 'sign of the dividend');
  t.equal(B.arithmeticKernel('atan2')(1, 1), Math.PI / 4);
  t.ok(same(B.mod(-4, 2), -0));
  t.equal(B.mod(5, Infinity), 5);
  t.ok(Number.isNaN(B.mod(Infinity, 5)));
  t.equal(B.div(1, 0), Infinity);
  t.equal(B.div(-1, 0), -Infinity);
  t.ok(Number.isNaN(B.div(0, 0)));
  t.equal(B.pow(1, NaN), 1, 'Go Pow(1, NaN) = 1 (JS 1 ** NaN is NaN)');
  t.equal(B.pow(-1, Infinity), 1, 'Go Pow(-1, ±Inf) = 1');
  t.equal(B.pow(NaN, 0), 1);
});

t.test('comparison kernels', async (t) => {
  const ops: B.ComparisonOp[] = ['==', '!=', '>', '<', '>=', '<='];
  const want: Record<string, boolean[]> = {
    // pairs: (1,2) (2,2) (NaN,NaN) (NaN,1) (-0,0) (Inf,Inf)
    '==': [false, true, false, false, true, true],
    '!=': [true, false, true, true, false, false],
    '>': [false, false, false, false, false, false],
    '<': [true, false, false, false, false, false],
    '>=': [false, true, false, false, true, true],
    '<=': [true, true, false, false, true, true],
  };
  const pairs: Array<[number, number]> = [[1, 2], [2, 2], [NaN, NaN], [NaN, 1], [-0, 0], [Infinity, Infinity]];
  for (const op of ops) {
    t.same(pairs.map(([a, b]) => B.compare(op, a, b)), want[op], op);
    t.same(pairs.map(([a, b]) => B.comparisonKernel(op)(a, b)), want[op], `${op} kernel`);
    t.same(pairs.map(([a, b]) => B.compareBool(op, a, b)), want[op]!.map((x) => (x ? 1 : 0)), `${op} bool`);
  }
});

t.test('simple math functions (functions.test values + Go edge cases)', async (t) => {
  t.same([-Infinity, Infinity, NaN, -50, 0, 100].map(M.sgn), [-1, 1, NaN, -1, 0, 1]);
  t.ok(same(M.sgn(-0), -0));
  t.same([-50, 0, 100].map((v) => M.clampMax(v, 75)), [-50, 0, 75]);
  t.same([-50, 0, 100].map((v) => M.clampMin(v, -25)), [-25, 0, 100]);
  t.same([-50, 0, 100].map((v) => M.clamp(v, -25, 75)), [-25, 0, 75]);
  t.ok([-50, 0, 100].every((v) => Number.isNaN(M.clamp(v, 0, NaN))), 'NaN max → NaN');
  t.ok([-50, 0, 100].every((v) => Number.isNaN(M.clamp(v, NaN, 0))), 'NaN min → NaN');
  t.equal(M.clampIsEmpty(5, -5), true);
  t.equal(M.clampIsEmpty(0, NaN), false);
  // Go math.Min/Max (verified with go1.19): Min(+Inf, NaN) = NaN, Max(+Inf, NaN) = +Inf,
  // Min(-Inf, NaN) = -Inf, Max(-Inf, NaN) = NaN, Max(0, -0) = 0, Min(0, -0) = -0
  t.ok(Number.isNaN(M.clampMax(NaN, Infinity)));
  t.equal(M.clampMin(NaN, Infinity), Infinity);
  t.equal(M.clampMax(NaN, -Infinity), -Infinity);
  t.ok(Number.isNaN(M.clampMin(NaN, -Infinity)));
  t.ok(same(M.goMax(0, -0), 0) && same(M.goMax(-0, 0), 0));
  t.ok(same(M.goMin(0, -0), -0) && same(M.goMin(-0, 0), -0));
  t.equal(M.clamp(Infinity, -Infinity, Infinity), Infinity);
});

t.test('round', async (t) => {
  t.equal(M.round(2.5), 3, 'ties up');
  t.equal(M.round(-2.5), -2, 'ties up (towards +Inf)');
  t.ok(same(M.round(-0.4), 0), 'floor(-0.4 + 0.5) / 1 is +0');
  t.equal(M.round(1.2345, 0.01), 1.23);
  t.equal(M.round(17, 5), 15);
  t.equal(M.round(18, 5), 20);
  t.equal(M.roundWithInverse(18, 1 / 5), 20);
  t.ok(Number.isNaN(M.round(NaN)));
  t.equal(M.round(Infinity), Infinity);
  t.ok(Number.isNaN(M.round(5, 0)), 'to_nearest 0: 1/0 = Inf, 5*Inf/Inf = NaN');
});

t.test('date functions (functions.test values)', async (t) => {
  t.equal(D.year(0), 1970);
  t.equal(D.year(1136239445), 2006);
  t.equal(D.month(0), 1);
  t.equal(D.month(1136239445), 1);
  t.equal(D.dayOfMonth(1136239445), 2);
  t.equal(D.dayOfYear(1136239445), 2);
  t.equal(D.dayOfWeek(0), 4, 'Thursday');
  t.equal(D.dayOfWeek(1136239445), 1);
  t.equal(D.hour(1136239445), 22);
  t.equal(D.minute(1136239445), 4);
  t.equal(D.year(1230767999), 2008);
  t.equal(D.year(1230768000), 2009);
  t.equal(D.month(1456790399) + D.dayOfMonth(1456790399) / 100, 2.29);
  t.equal(D.month(1456790400) + D.dayOfMonth(1456790400) / 100, 3.01);
  t.equal(D.dayOfYear(1483191420), 366);
  t.equal(D.dayOfYear(1672493820), 365);
  t.equal(D.daysInMonth(1454284800), 29);
  t.equal(D.daysInMonth(1485907200), 28);
  t.equal(D.hour(-1), 23, 'negative seconds: 1969-12-31 23:59:59');
  t.equal(D.hour(-0.5), 0, 'truncation toward zero, not floor');
  t.same([D.year(NaN), D.month(NaN), D.dayOfMonth(NaN), D.dayOfWeek(NaN), D.hour(NaN), D.minute(NaN)],
    [292277026596, 12, 4, 0, 15, 30], 'NaN → int64 min → Go wraps around');
  t.equal(D.year(-62135596801), 0, 'year 0 exists (astronomical numbering)');
});
