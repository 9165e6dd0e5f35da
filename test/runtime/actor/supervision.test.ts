import t from 'tap';
import { backoffDelay } from '../../../runtime/actor/backoff.js';
import { RestartBudget, decideByRetryable } from '../../../runtime/actor/supervision.js';
import { ConfigError, TimeoutError } from '../../../runtime/errors/runtime-errors.js';

t.test('backoff - grows exponentially, is capped, and jitter only shortens it', async (t) => {
  const o = { initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0.5 };
  t.same([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, o, () => 0)), [100, 200, 400, 800, 1000, 1000]);
  t.equal(backoffDelay(1, o, () => 0.999999), 100);
  t.equal(backoffDelay(2, o, () => 0.5), 300);
});

t.test('restart budget - allows maxRestarts within the window, then refuses until old ones age out', async (t) => {
  const b = new RestartBudget(3, 1000);
  t.equal(b.take(0), 0);
  t.equal(b.take(10), 1);
  t.equal(b.take(20), 2);
  t.equal(b.take(30), undefined);
  t.equal(b.used(30), 3);
  t.equal(b.take(1001), 2, 'the restart at t=0 left the window');
});

t.test('decide - retryable errors restart, others stop', async (t) => {
  t.equal(decideByRetryable(new TimeoutError('x')), 'restart');
  t.equal(decideByRetryable(new ConfigError('x')), 'stop');
  t.equal(decideByRetryable(new Error('plain')), 'stop');
  t.equal(decideByRetryable('string'), 'stop');
});
