import t from 'tap';
import {
  formatFloatF, formatFloatE, formatFloatG, formatGoV, formatGoPrintfF,
} from '../../../../../actors/shared/promql/format/go-float.js';
import { formatSampleValue, formatSampleTimestamp, formatJsonNumber } from '../../../../../actors/shared/promql/format/api-json.js';
import { unary, f64 } from '../functions/go-oracle-helper.js';

t.test('every oracle value formats exactly like Go 1.19', async (t) => {
  for (const row of unary) {
    const x = f64(row.In);
    t.equal(formatFloatF(x), row.F, `FormatFloat(${x}, 'f', -1)`);
    t.equal(formatFloatE(x), row.E, `FormatFloat(${x}, 'e', -1)`);
    t.equal(formatFloatG(x), row.G, `FormatFloat(${x}, 'g', -1)`);
    t.equal(formatGoV(x), row.V, `%v of ${x}`);
    t.equal(formatGoPrintfF(x), row.PF, `%f of ${x}`);
    t.equal(formatSampleValue(x), row.MV, `jsonutil.MarshalValue(${x})`);
    if (row.JSON !== '') t.equal(formatJsonNumber(x), row.JSON, `encoding/json of ${x}`);
  }
});

t.test('tricky values, by hand', async (t) => {
  const table: Array<[number, string, string]> = [
    // value, 'f' -1 (scalars, count_values), API sample value
    [1, '1', '1'],
    [0.1 + 0.2, '0.30000000000000004', '0.30000000000000004'],
    [1e21, '1000000000000000000000', '1e+21'],
    [1e-7, '0.0000001', '1e-07'],
    [1.5e-7, '0.00000015', '1.5e-07'],
    [1e-6, '0.000001', '0.000001'],
    [5e-324, '0.' + '0'.repeat(323) + '5', '5e-324'],
    [1.7976931348623157e308, '17976931348623157' + '0'.repeat(292), '1.7976931348623157e+308'],
    [-0, '-0', '-0'],
    [0, '0', '0'],
    [123456789012345680, '123456789012345680', '123456789012345680'],
    [2 ** 53 + 2, '9007199254740994', '9007199254740994'],
    [Infinity, '+Inf', '+Inf'],
    [-Infinity, '-Inf', '-Inf'],
    [NaN, 'NaN', 'NaN'],
    [-1234.5678, '-1234.5678', '-1234.5678'],
    [1e100, '1' + '0'.repeat(100), '1e+100'],
  ];
  for (const [v, f, api] of table) {
    t.equal(formatFloatF(v), f, `f of ${v}`);
    t.equal(formatSampleValue(v), api, `api of ${v}`);
  }
  t.equal(formatFloatG(1e6), '1e+06');
  t.equal(formatFloatG(123456), '123456');
  t.equal(formatFloatG(0.0001), '0.0001');
  t.equal(formatFloatG(0.00001), '1e-05');
  t.equal(formatFloatE(0), '0e+00');
  t.equal(formatGoV(9.3e18), '9.3e+18', 'topk overflow message value');
  // %f rounds the exact binary value half to even (outputs printed by go1.19)
  const pf: Array<[number, string]> = [
    [0.0078125, '0.007812'], [0.0000005, '0.000000'], [0.0000015, '0.000002'], [0.0000025, '0.000003'],
    [-0.0078125, '-0.007812'], [1 / 1024 / 1024 / 2, '0.000000'], [123.4567895, '123.456789'],
    [0.5e-6 + 1, '1.000001'], [2.5e-6, '0.000003'], [1e20 + 0.5, '100000000000000000000.000000'],
  ];
  for (const [v, want] of pf) t.equal(formatGoPrintfF(v), want, `%f of ${v}`);
});

t.test('sample timestamps (jsonutil.MarshalTimestamp)', async (t) => {
  t.equal(formatSampleTimestamp(0), '0');
  t.equal(formatSampleTimestamp(1500), '1.500');
  t.equal(formatSampleTimestamp(1050), '1.050');
  t.equal(formatSampleTimestamp(1005), '1.005');
  t.equal(formatSampleTimestamp(1000), '1');
  t.equal(formatSampleTimestamp(1435781451781), '1435781451.781');
  t.equal(formatSampleTimestamp(-1500), '-1.500');
  t.equal(formatSampleTimestamp(-5), '-0.005');
  t.equal(formatSampleTimestamp(1), '0.001');
});

t.test('scalar/string timestamps (encoding/json of ms/1000)', async (t) => {
  t.equal(formatJsonNumber(1500 / 1000), '1.5');
  t.equal(formatJsonNumber(1435781451781 / 1000), '1435781451.781');
  t.equal(formatJsonNumber(0), '0');
  t.equal(formatJsonNumber(1e21), '1e+21');
  t.equal(formatJsonNumber(1e-7), '1e-7');
  t.throws(() => formatJsonNumber(NaN));
});
