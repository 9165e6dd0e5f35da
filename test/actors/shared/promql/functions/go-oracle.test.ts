import t from 'tap';
import * as M from '../../../../../actors/shared/promql/functions/math.js';
import * as D from '../../../../../actors/shared/promql/functions/date.js';
import { goPow, goMod, goFloatToInt64 } from '../../../../../actors/shared/promql/functions/go-math.js';
import { atan2 } from '../../../../../actors/shared/promql/functions/binop.js';
import { unary, binary, f64, same } from './go-oracle-helper.js';

const exact: Record<string, (x: number) => number> = {
  Abs: M.abs, Ceil: M.ceil, Floor: M.floor, Sqrt: M.sqrt, Ln: M.ln, Log2: M.log2, Log10: M.log10,
  Deg: M.deg, Rad: M.rad, Sgn: M.sgn,
  Round: (x) => M.round(x), Round05: (x) => M.round(x, 0.5), Round3: (x) => M.round(x, 3),
  Exp: M.exp, Sin: M.sin, Cos: M.cos, Tan: M.tan, Asin: M.asin, Acos: M.acos, Atan: M.atan,
  Sinh: M.sinh, Cosh: M.cosh, Tanh: M.tanh, Asinh: M.asinh, Acosh: M.acosh, Atanh: M.atanh,
};

t.test('math kernels equal Go 1.19 bit for bit', async (t) => {
  let n = 0;
  for (const row of unary) {
    const x = f64(row.In);
    for (const [name, fn] of Object.entries(exact)) {
      const want = f64(row[name] as string);
      const got = fn(x);
      if (!same(got, want)) t.fail(`${name}(${x}) = ${got}, Go ${want}`);
      n++;
    }
  }
  t.pass(`${n} exact comparisons`);
});

t.test('date functions and int64 conversion equal Go', async (t) => {
  const fns = [D.dayOfMonth, D.dayOfWeek, D.dayOfYear, D.daysInMonth, D.hour, D.minute, D.month, D.year];
  for (const row of unary) {
    const x = f64(row.In);
    t.equal(goFloatToInt64(x).toString(), row.Int64, `int64(${x})`);
    const got = fns.map((fn) => fn(x));
    t.same(got, row.Date, `date parts of ${x}`);
  }
});

t.test('pow, mod, atan2 equal Go bit for bit', async (t) => {
  for (const row of binary) {
    const x = f64(row.X);
    const y = f64(row.Y);
    if (!same(goPow(x, y), f64(row.Pow))) t.fail(`Pow(${x}, ${y}) = ${goPow(x, y)}, Go ${f64(row.Pow)}`);
    if (!same(goMod(x, y), f64(row.Mod))) t.fail(`Mod(${x}, ${y})`);
    if (!same(atan2(x, y), f64(row.Atan2))) t.fail(`Atan2(${x}, ${y}) = ${atan2(x, y)}, Go ${f64(row.Atan2)}`);
  }
  t.pass(`${binary.length} pairs`);
});

t.test('Go Pow special cases that differ from JS **', async (t) => {
  t.equal(goPow(1, NaN), 1);
  t.equal(goPow(1, Infinity), 1);
  t.equal(goPow(-1, Infinity), 1);
  t.equal(goPow(-1, -Infinity), 1);
  t.equal(goPow(NaN, 0), 1);
  t.ok(Number.isNaN(goPow(NaN, 1)) === true && Number.isNaN(NaN ** 1));
  t.equal(goPow(-0, -3), -Infinity);
  t.equal(goPow(-0, 3), -0);
  t.equal(goPow(-Infinity, 3), -Infinity);
  t.equal(goPow(-Infinity, -3), -0);
  t.ok(Number.isNaN(goPow(-8, 1 / 3)));
  t.equal(goPow(2, 10), 1024);
  t.equal(goPow(2, -1075), 0);
  t.equal(goPow(2, -1074), 5e-324);
  t.equal(goPow(10, 308), 1.0000000000000006e+308, 'repeated squaring, unlike 10 ** 308');
  t.equal(goPow(1.1, 10), 2.593742460100002);
});

t.test('Go Log family differences', async (t) => {
  t.equal(M.log10(1e15), 14.999999999999998, 'Log(x)*(1/Ln10) is not exact (Math.log10 gives 15)');
  t.equal(M.log10(1000), 3);
  t.equal(M.log2(8), 3, 'exact on powers of two');
  t.equal(M.ln(5e-324), -709.0895657128241, 'amd64 assembly does not normalise subnormals');
  t.equal(M.ln(0), -Infinity);
  t.equal(M.ln(-0), -Infinity);
  t.ok(Number.isNaN(M.ln(-1)));
  t.equal(M.ln(Infinity), Infinity);
});
