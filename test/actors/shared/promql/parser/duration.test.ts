import t from 'tap';
import { DurationSyntaxError, formatDuration, parseDuration } from '../../../../../actors/shared/promql/parser/index.js';

t.test('parseDuration follows Prometheus syntax', async (t) => {
  t.equal(parseDuration('0'), 0);
  t.equal(parseDuration('5m'), 300_000);
  t.equal(parseDuration('1h30m'), 5_400_000);
  t.equal(parseDuration('1y'), 365 * 86_400_000);
  t.equal(parseDuration('2w1d'), 15 * 86_400_000);
  t.equal(parseDuration('1s500ms'), 1500);
  t.equal(parseDuration('90m'), 5_400_000);
  t.equal(parseDuration('0s'), 0);
  for (const bad of ['', '1.5m', '30m1h', '5', 'm', '1h1h', '-5m', '5M', ' 5m', '1e3s']) {
    try { parseDuration(bad); t.fail(bad); } catch (e) { t.ok(e instanceof DurationSyntaxError, bad); }
  }
  t.throws(() => parseDuration(''), { message: 'empty duration string' });
  t.throws(() => parseDuration('1.5m'), { message: 'not a valid duration string: "1.5m"' });
  t.throws(() => parseDuration('300y'), { message: 'duration out of range' });
});

t.test('formatDuration prints like model.Duration.String', async (t) => {
  t.equal(formatDuration(0), '0s');
  t.equal(formatDuration(5_400_000), '1h30m');
  t.equal(formatDuration(90 * 86_400_000), '90d');
  t.equal(formatDuration(14 * 86_400_000), '2w');
  t.equal(formatDuration(365 * 86_400_000), '1y');
  t.equal(formatDuration(1500), '1s500ms');
  t.equal(formatDuration(-60_000), '-1m');
  for (const ms of [1, 999, 60_000, 3_723_004, 8 * 86_400_000, 400 * 86_400_000]) t.equal(parseDuration(formatDuration(ms)), ms);
});
