import t from 'tap';
import { CircuitBreaker, circuitBreakerConfigFrom, CIRCUIT_BREAKER_DEFAULTS, type BreakerState, type CircuitBreakerConfig } from '../../../../actors/shared/cache/circuit-breaker.js';
import { CacheConfigError } from '../../../../actors/shared/cache/errors.js';
import { ConfigReader } from '../../../../actors/shared/objstore/config-reader.js';

function cfg(o: Partial<CircuitBreakerConfig>): CircuitBreakerConfig {
  return { ...CIRCUIT_BREAKER_DEFAULTS, enabled: true, ...o };
}

/** A breaker on a fake clock (starting at 1000 ms), with its state changes recorded. */
function breaker(o: Partial<CircuitBreakerConfig>): { b: CircuitBreaker; clock: { now: number }; changes: string[] } {
  const clock = { now: 1000 };
  const changes: string[] = [];
  const b = new CircuitBreaker(cfg(o), { now: () => clock.now, onStateChange: (f: BreakerState, to: BreakerState) => changes.push(`${f}->${to}`) });
  return { b, clock, changes };
}

/** Sends one request through `b` with outcome `ok`; false when refused. */
function send(b: CircuitBreaker, ok: boolean): boolean {
  const p = b.allow();
  if (p === undefined) return false;
  b.record(p, ok);
  return true;
}

const read = (doc: unknown): CircuitBreakerConfig =>
  circuitBreakerConfigFrom(new ConfigReader('test', doc, ['set_async_circuit_breaker_config'], (m, o) => new CacheConfigError(m, o)));

t.test('config: absent → Thanos defaults (disabled); every field read', async (t) => {
  t.same(read({}), { enabled: false, halfOpenMaxRequests: 10, openDurationMs: 5000, minRequests: 50, consecutiveFailures: 5, failurePercent: 0.05 });
  t.same(read({ set_async_circuit_breaker_config: {
    enabled: true, half_open_max_requests: 2, open_duration: '300ms', min_requests: 3, consecutive_failures: 4, failure_percent: 0.5,
  } }), { enabled: true, halfOpenMaxRequests: 2, openDurationMs: 300, minRequests: 3, consecutiveFailures: 4, failurePercent: 0.5 });
  t.same(read({ set_async_circuit_breaker_config: { consecutive_failures: 0, failure_percent: 7 } }).failurePercent, 7, 'not validated when disabled');
  t.equal(read({ set_async_circuit_breaker_config: { enabled: true, failure_percent: 1 } }).failurePercent, 1, '1 is allowed');
});

t.test('config: refusals name the field', async (t) => {
  const bad: Array<[unknown, RegExp]> = [
    [{ enabled: true, consecutive_failures: 0 }, /"consecutive_failures" must be greater than zero/],
    [{ enabled: true, failure_percent: 0 }, /"failure_percent" must be in \(0, 1\]/],
    [{ enabled: true, failure_percent: 1.5 }, /"failure_percent" must be in \(0, 1\]/],
    [{ failure_percent: 'lots' }, /"failure_percent" must be a number/],
    [{ min_requests: -1 }, /"min_requests" must be zero or more/],
    [{ open_duration: 'soon' }, /"open_duration"/],
    [{ enabled: 'yes' }, /"enabled"/],
    [{ treshold: 3 }, /set_async_circuit_breaker_config: unknown field "treshold"/],
  ];
  for (const [sub, re] of bad) {
    t.throws(() => read({ set_async_circuit_breaker_config: sub }), CacheConfigError, JSON.stringify(sub));
    t.throws(() => read({ set_async_circuit_breaker_config: sub }), re);
  }
});

t.test('disabled: always allows, never trips', async (t) => {
  const b = new CircuitBreaker(CIRCUIT_BREAKER_DEFAULTS);
  let sent = 0;
  for (let i = 0; i < 200; i++) if (send(b, false)) sent++;
  t.equal(sent, 200, 'every failing request was allowed');
  t.equal(b.state, 'closed');
});

t.test('consecutive failures: trip exactly when requests ≥ min_requests and N in a row failed', async (t) => {
  const { b, changes } = breaker({ minRequests: 4, consecutiveFailures: 3, failurePercent: 1 });
  send(b, false); send(b, false);
  t.equal(b.state, 'closed', '2 in a row');
  send(b, true);
  send(b, false); send(b, false);
  t.equal(b.state, 'closed', '5 requests but only 2 in a row');
  send(b, false);
  t.equal(b.state, 'open', '3 in a row, 6 requests');
  t.same(changes, ['closed->open']);
  t.equal(b.allow(), undefined, 'open refuses');
});

t.test('failure ratio trips only after min_requests', async (t) => {
  const { b } = breaker({ minRequests: 10, consecutiveFailures: 100, failurePercent: 0.5 });
  for (let i = 0; i < 4; i++) { send(b, false); send(b, true); }
  t.equal(b.state, 'closed', '8 requests, ratio 0.5, below min_requests');
  send(b, true);
  t.equal(b.state, 'closed', 'a success never trips');
  send(b, false);
  t.equal(b.state, 'open', '10 requests, 5 failed = 0.5');
});

t.test('open for open_duration, then half-open lets N through; N successes close', async (t) => {
  const { b, clock, changes } = breaker({ minRequests: 1, consecutiveFailures: 1, openDurationMs: 300, halfOpenMaxRequests: 3 });
  send(b, false);
  t.equal(b.state, 'open');
  clock.now += 299;
  t.equal(b.allow(), undefined, 'still open at 299 ms');
  clock.now += 1;
  t.equal(b.state, 'half-open');
  const permits = [b.allow(), b.allow(), b.allow()];
  t.ok(permits.every((p) => p !== undefined), '3 allowed');
  t.equal(b.allow(), undefined, 'the 4th is refused');
  b.record(permits[0]!, true); b.record(permits[1]!, true);
  t.equal(b.state, 'half-open', '2 of 3 successes');
  b.record(permits[2]!, true);
  t.equal(b.state, 'closed');
  t.same(changes, ['closed->open', 'open->half-open', 'half-open->closed']);
  t.ok(send(b, true), 'closed allows');
});

t.test('a failure in half-open re-opens; outcomes of an older generation are ignored', async (t) => {
  const { b, clock, changes } = breaker({ minRequests: 1, consecutiveFailures: 1, openDurationMs: 0, halfOpenMaxRequests: 0 });
  const stale = b.allow()!;
  send(b, false);
  t.equal(b.state, 'open');
  clock.now += 59_999;
  t.equal(b.state, 'open', 'open_duration 0 means 60 s');
  clock.now += 1;
  const p = b.allow();
  t.ok(p !== undefined, 'half-open: one request (0 means 1)');
  t.equal(b.allow(), undefined, 'only one');
  b.record(stale, true);
  t.equal(b.state, 'half-open', 'a success from before the trip does not count');
  b.record(p!, false);
  t.equal(b.state, 'open');
  t.same(changes, ['closed->open', 'open->half-open', 'half-open->open']);
});

t.test('closed counts are cleared every 10 s', async (t) => {
  const { b, clock } = breaker({ minRequests: 3, consecutiveFailures: 3, failurePercent: 1 });
  send(b, false); send(b, false);
  clock.now += 10_000;
  send(b, false);
  t.equal(b.state, 'closed', 'the first two were in the previous window');
  send(b, false);
  clock.now += 9_999;
  send(b, false);
  t.equal(b.state, 'open', 'three in a row within one window');
});
