import t from 'tap';
import { MAX_TIME_DEFAULT, MIN_TIME_DEFAULT, parseTimeFlag, resolveTimeFlag } from '../../../../actors/shared/block/time-flag.js';

t.test('time flags: RFC3339 or relative durations like Thanos', async (t) => {
  const now = Date.UTC(2026, 0, 10);
  t.equal(resolveTimeFlag(parseTimeFlag('2018-01-01T00:00:00Z', 'min-time'), now), Date.UTC(2018, 0, 1));
  t.equal(resolveTimeFlag(parseTimeFlag('2018-01-01T02:00:00+02:00', 'min-time'), now), Date.UTC(2018, 0, 1));
  t.equal(resolveTimeFlag(parseTimeFlag('-6w', 'min-time'), now), now - 6 * 7 * 86400_000);
  t.equal(resolveTimeFlag(parseTimeFlag('-2h45m', 'min-time'), now), now - (2 * 60 + 45) * 60_000);
  t.equal(resolveTimeFlag(parseTimeFlag('0s', 'max-time'), now), now);
  t.equal(resolveTimeFlag(parseTimeFlag('2h', 'max-time'), now), now + 7200_000);
  t.ok(resolveTimeFlag(parseTimeFlag(MIN_TIME_DEFAULT, 'min-time'), now) < Date.UTC(1, 0, 1));
  t.equal(resolveTimeFlag(parseTimeFlag(MAX_TIME_DEFAULT, 'max-time'), now), Date.UTC(9999, 11, 31, 23, 59, 59));
  for (const bad of ['now', '1.5h', 'yesterday', '2018-01-01', '+2h']) {
    t.throws(() => parseTimeFlag(bad, 'min-time'), { code: 'BLOCK_BAD_TIME', message: /--min-time/ }, bad);
  }
});
