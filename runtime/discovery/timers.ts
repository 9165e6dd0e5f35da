/** The time source discovery uses; injectable so tests can drive expiry without waiting. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Uniform random in [0, 1); injectable for deterministic jitter. */
  random(): number;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => { const h = setTimeout(fn, ms); h.unref?.(); return h; },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  random: () => Math.random(),
};

/** `base` ± `fraction` of itself, never below 1 ms. */
export function jittered(timers: Timers, base: number, fraction: number): number {
  return Math.max(1, Math.round(base * (1 - fraction + 2 * fraction * timers.random())));
}
