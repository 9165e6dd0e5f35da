import type { ConfigReader } from '../objstore/config-reader.js';

/**
 * Thanos's `set_async_circuit_breaker_config` (in the memcached and redis client configs), validated,
 * with Thanos's defaults. Durations in milliseconds.
 */
export interface CircuitBreakerConfig {
  readonly enabled: boolean;
  /** Writes let through while HALF-OPEN, and the consecutive successes that close it again; 0 means 1. */
  readonly halfOpenMaxRequests: number;
  /** How long OPEN refuses writes before HALF-OPEN; 0 means 60 s. */
  readonly openDurationMs: number;
  /** No trip before this many requests in the current 10 s window. */
  readonly minRequests: number;
  /** Trip after this many failures in a row (> 0 when enabled). */
  readonly consecutiveFailures: number;
  /** …or when failures / requests reaches this, in (0, 1] when enabled. */
  readonly failurePercent: number;
}

export const CIRCUIT_BREAKER_DEFAULTS: CircuitBreakerConfig = {
  enabled: false,
  halfOpenMaxRequests: 10,
  openDurationMs: 5_000,
  minRequests: 50,
  consecutiveFailures: 5,
  failurePercent: 0.05,
};

/** The key of the sub-mapping in the client configs. */
export const CIRCUIT_BREAKER_FIELD = 'set_async_circuit_breaker_config';
const FIELDS = ['enabled', 'half_open_max_requests', 'open_duration', 'min_requests', 'consecutive_failures', 'failure_percent'] as const;

/**
 * Reads `set_async_circuit_breaker_config` of the client mapping `parent` strictly (absent → the
 * defaults, disabled). Unknown fields, negative counts and, when enabled, `consecutive_failures` 0 or
 * a `failure_percent` outside (0, 1] throw the parent's config error naming the field.
 */
export function circuitBreakerConfigFrom(parent: ConfigReader): CircuitBreakerConfig {
  const r = parent.sub(CIRCUIT_BREAKER_FIELD, FIELDS);
  const d = CIRCUIT_BREAKER_DEFAULTS;
  const count = (key: string, def: number): number => {
    const v = r.int(key, def);
    if (v < 0) throw r.bad(key, 'zero or more', v);
    return v;
  };
  const raw = r.raw('failure_percent');
  if (raw !== undefined && (typeof raw !== 'number' || !Number.isFinite(raw))) throw r.bad('failure_percent', 'a number', raw);
  const cfg: CircuitBreakerConfig = {
    enabled: r.bool('enabled', d.enabled),
    halfOpenMaxRequests: count('half_open_max_requests', d.halfOpenMaxRequests),
    openDurationMs: r.durationMs('open_duration', d.openDurationMs),
    minRequests: count('min_requests', d.minRequests),
    consecutiveFailures: count('consecutive_failures', d.consecutiveFailures),
    failurePercent: raw ?? d.failurePercent,
  };
  if (cfg.enabled) {
    if (cfg.consecutiveFailures <= 0) throw r.bad('consecutive_failures', 'greater than zero when enabled', cfg.consecutiveFailures);
    if (!(cfg.failurePercent > 0 && cfg.failurePercent <= 1)) throw r.bad('failure_percent', 'in (0, 1] when enabled', cfg.failurePercent);
  }
  return cfg;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Permission to send one request; hand it back to `record` with the outcome. */
export interface BreakerPermit {
  readonly generation: number;
}

/** CLOSED counts are cleared this often (Thanos's breaker interval). */
export const BREAKER_COUNT_INTERVAL_MS = 10_000;

/**
 * The circuit breaker in front of a remote cache's async writes (the semantics of Thanos's, which
 * uses sony/gobreaker). CLOSED: requests, failures and consecutive failures are counted, the counts
 * cleared every 10 s; after a failure, once `requests >= min_requests` and either `consecutive_failures`
 * in a row failed or failures/requests ≥ `failure_percent`, it trips OPEN. OPEN: `allow` refuses
 * for `open_duration`, then HALF-OPEN. HALF-OPEN: at most `half_open_max_requests` permits are
 * given; a failure re-opens, that many successes close (counts cleared). Every state change starts a
 * new generation: an outcome recorded with a permit of an older generation is ignored. Disabled, it
 * always allows and records nothing. Time comes from `now` (injectable for tests).
 */
export class CircuitBreaker {
  readonly #cfg: CircuitBreakerConfig;
  readonly #now: () => number;
  readonly #onChange: ((from: BreakerState, to: BreakerState) => void) | undefined;
  readonly #maxHalfOpen: number;
  readonly #openMs: number;
  #state: BreakerState = 'closed';
  #generation = 0;
  /** CLOSED: when the counts are cleared; OPEN: when it turns HALF-OPEN. */
  #expiry: number;
  #requests = 0;
  #failures = 0;
  #consecutiveFailures = 0;
  #consecutiveSuccesses = 0;

  constructor(cfg: CircuitBreakerConfig, o: { readonly now?: () => number; readonly onStateChange?: (from: BreakerState, to: BreakerState) => void } = {}) {
    this.#cfg = cfg;
    this.#now = o.now ?? Date.now;
    this.#onChange = o.onStateChange;
    this.#maxHalfOpen = cfg.halfOpenMaxRequests > 0 ? cfg.halfOpenMaxRequests : 1;
    this.#openMs = cfg.openDurationMs > 0 ? cfg.openDurationMs : 60_000;
    this.#expiry = this.#now() + BREAKER_COUNT_INTERVAL_MS;
  }

  get enabled(): boolean { return this.#cfg.enabled; }

  /** The state now (an elapsed OPEN period or count window is applied first). */
  get state(): BreakerState {
    this.#advance(this.#now());
    return this.#state;
  }

  /** A permit to send one request, or undefined when the breaker refuses it (OPEN, or HALF-OPEN and full). */
  allow(): BreakerPermit | undefined {
    if (!this.#cfg.enabled) return { generation: -1 };
    this.#advance(this.#now());
    if (this.#state === 'open') return undefined;
    if (this.#state === 'half-open' && this.#requests >= this.#maxHalfOpen) return undefined;
    this.#requests++;
    return { generation: this.#generation };
  }

  /** Records the outcome of a request sent with `permit`. */
  record(permit: BreakerPermit, ok: boolean): void {
    if (!this.#cfg.enabled) return;
    const now = this.#now();
    this.#advance(now);
    if (permit.generation !== this.#generation) return;
    if (ok) {
      this.#consecutiveFailures = 0;
      this.#consecutiveSuccesses++;
      if (this.#state === 'half-open' && this.#consecutiveSuccesses >= this.#maxHalfOpen) this.#set('closed', now);
      return;
    }
    this.#failures++;
    this.#consecutiveFailures++;
    this.#consecutiveSuccesses = 0;
    if (this.#state === 'half-open') return this.#set('open', now);
    const c = this.#cfg;
    if (this.#requests >= c.minRequests && (this.#consecutiveFailures >= c.consecutiveFailures || this.#failures / this.#requests >= c.failurePercent)) {
      this.#set('open', now);
    }
  }

  #advance(now: number): void {
    if (this.#state === 'closed' && now >= this.#expiry) this.#newGeneration(now);
    else if (this.#state === 'open' && now >= this.#expiry) this.#set('half-open', now);
  }

  #set(to: BreakerState, now: number): void {
    const from = this.#state;
    this.#state = to;
    this.#newGeneration(now);
    this.#onChange?.(from, to);
  }

  #newGeneration(now: number): void {
    this.#generation++;
    this.#requests = 0;
    this.#failures = 0;
    this.#consecutiveFailures = 0;
    this.#consecutiveSuccesses = 0;
    this.#expiry = this.#state === 'closed' ? now + BREAKER_COUNT_INTERVAL_MS : this.#state === 'open' ? now + this.#openMs : Infinity;
  }
}
