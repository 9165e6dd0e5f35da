/**
 * Supervision: what happens when an actor's `started` or `receive` throws. The supervisor asks
 * the strategy for a directive; restarts are bounded by a budget (at most `maxRestarts` within
 * `windowMs`, OTP's intensity/period) and delayed by a jittered exponential backoff.
 */
import { CodedError, isRetryable } from '../errors/coded-error.js';
import { defaultBackoff, type BackoffOptions } from './backoff.js';

/**
 * - `resume`: keep the same instance and state, drop the failing message, go on;
 * - `restart`: call `stopped`, wait the backoff, build a fresh instance (queued messages are kept);
 * - `stop`: stop the actor for good (its queued messages are dropped).
 */
export type Directive = 'resume' | 'restart' | 'stop';

export interface SupervisorStrategy {
  /** Restarts allowed within `windowMs`; one more is RestartBudgetExceededError and the actor stops. */
  readonly maxRestarts: number;
  readonly windowMs: number;
  readonly backoff: BackoffOptions;
  decide(err: unknown): Directive;
}

/** Default decision: retryable CodedErrors restart, everything else stops. */
export function decideByRetryable(err: unknown): Directive {
  return err instanceof CodedError && isRetryable(err) ? 'restart' : 'stop';
}

export const defaultStrategy: SupervisorStrategy = {
  maxRestarts: 5,
  windowMs: 60_000,
  backoff: defaultBackoff,
  decide: decideByRetryable,
};

/** Sliding-window restart accounting. */
export class RestartBudget {
  #times: number[] = [];
  constructor(readonly maxRestarts: number, readonly windowMs: number) {}

  /**
   * Records a restart at `nowMs` if the budget allows and returns its 0-based attempt number
   * within the window; returns undefined (recording nothing) when the budget is spent.
   */
  take(nowMs: number): number | undefined {
    this.#times = this.#times.filter((t) => t > nowMs - this.windowMs);
    if (this.#times.length >= this.maxRestarts) return undefined;
    this.#times.push(nowMs);
    return this.#times.length - 1;
  }

  /** Restarts counted in the window ending at `nowMs`. */
  used(nowMs: number): number { return this.#times.filter((t) => t > nowMs - this.windowMs).length; }
}
