/** Restart delay: exponential in the attempt number, capped, with downward jitter. */
export interface BackoffOptions {
  /** Delay before the first restart. */
  readonly initialMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
  /** Growth factor per attempt (default 2). */
  readonly multiplier?: number;
  /** Fraction in [0, 1] of the delay that is randomised away (default 0.2): delay × (1 − jitter × random()). */
  readonly jitter?: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 100, maxMs: 30_000, multiplier: 2, jitter: 0.2 };

/**
 * Delay for restart number `attempt` (0-based): min(maxMs, initialMs × multiplier^attempt), then
 * reduced by up to `jitter` of itself. `random` returns values in [0, 1) (injected in tests).
 */
export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(o.maxMs, o.initialMs * (o.multiplier ?? 2) ** Math.max(0, attempt));
  const jitter = Math.min(1, Math.max(0, o.jitter ?? 0.2));
  return Math.round(base * (1 - jitter * random()));
}
