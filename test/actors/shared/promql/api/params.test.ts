import t from 'tap';
import {
  durationMs, exceedsMaxResolution, MAX_TIME_FORMATTED, MAX_TIME_MS, MIN_TIME_FORMATTED, MIN_TIME_MS, ParamSyntaxError,
  parseDurationNs, parseTimeMs,
} from '../../../../../actors/shared/promql/api/params.js';

t.test('parseTimeMs: unix seconds as Go parses and rounds them', async (t) => {
  const cases: Array<[string, number]> = [
    ['0', 0], ['1', 1000], ['1.5', 1500], ['-1.5', -1500], ['1.0005', 1000], ['1.0015', 1002], ['1e3', 1_000_000],
    ['0x1p-2', 250], ['+2', 2000], ['.5', 500], ['1700000000.123', 1700000000123], ['1.57', 1570], ['-0.001', -1],
    ['Inf', -9223372036854], ['NaN', -9223372036854],
  ];
  for (const [s, ms] of cases) t.equal(parseTimeMs(s), ms, s);
});

t.test('parseTimeMs: RFC 3339 and the min/max strings', async (t) => {
  const cases: Array<[string, number]> = [
    ['1970-01-01T00:00:00Z', 0], ['2020-01-01T00:00:00.123456Z', 1577836800123], ['2020-01-01T01:00:00+01:00', 1577836800000],
    ['2020-01-01T00:00:00,5Z', 1577836800500], ['2020-01-01T0:00:00Z', 1577836800000], ['1969-12-31T23:59:59.5Z', -500],
    ['2020-02-29T00:00:00Z', 1582934400000], [MIN_TIME_FORMATTED, MIN_TIME_MS], [MAX_TIME_FORMATTED, MAX_TIME_MS],
  ];
  for (const [s, ms] of cases) t.equal(parseTimeMs(s), ms, s);
});

t.test('parseTimeMs: rejections carry 2.42 text', async (t) => {
  for (const s of ['', 'x', '1e400', '1.2.3', '2021-02-29T00:00:00Z', '2020-01-01T24:00:00Z', '2020-01-01 00:00:00Z', '2020-01-01T00:00:00z', '1_000', '0x10', '+nan']) {
    t.throws(() => parseTimeMs(s), new ParamSyntaxError(`cannot parse ${JSON.stringify(s)} to a valid timestamp`), s);
  }
});

t.test('parseDurationNs: floats and Prometheus durations', async (t) => {
  const cases: Array<[string, bigint]> = [
    ['1', 1_000_000_000n], ['0.5', 500_000_000n], ['0.0001', 100_000n], ['15s', 15_000_000_000n], ['1h30m', 5_400_000_000_000n],
    ['0', 0n], ['-1', -1_000_000_000n], ['1ms', 1_000_000n], ['1e-9', 1n],
  ];
  for (const [s, ns] of cases) t.equal(parseDurationNs(s), ns, s);
  t.equal(durationMs(100_000n), 0);
  t.equal(durationMs(-1_500_000n), -1);
  t.throws(() => parseDurationNs('x'), new ParamSyntaxError('cannot parse "x" to a valid duration'));
  t.throws(() => parseDurationNs('1e10'), new ParamSyntaxError('cannot parse "1e10" to a valid duration. It overflows int64'));
  t.throws(() => parseDurationNs('5 m'), new ParamSyntaxError('cannot parse "5 m" to a valid duration'));
  t.ok(parseDurationNs('NaN') < 0n, 'NaN is a negative duration as in Go on amd64');
});

t.test('exceedsMaxResolution: integer ns division > 11000', async (t) => {
  t.equal(exceedsMaxResolution(0, 11_000_000, 1_000_000_000n), false);
  t.equal(exceedsMaxResolution(0, 11_001_000, 1_000_000_000n), true);
  t.equal(exceedsMaxResolution(0, 11_001_999, 1_000_000_000n), true);
  t.equal(exceedsMaxResolution(0, 10_000, 100_000n), true);
  t.equal(exceedsMaxResolution(MIN_TIME_MS, MAX_TIME_MS, 9_000_000_000_000_000_000n), false);
});
