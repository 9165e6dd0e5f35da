/**
 * The run loop of one actor: builds an instance, runs `started`, then hands it one message at a
 * time; on failure applies the supervision strategy (resume, restart after backoff within the
 * budget, or stop). Internal to the actor system.
 */
import type { Clock } from '../clock.js';
import { RestartBudgetExceededError } from '../errors/runtime-errors.js';
import type { Logger } from '../log/logger.js';
import type { Actor, ActorContext, ActorFactory, ActorRef, AskOptions, StopReason } from './actor.js';
import { backoffDelay } from './backoff.js';
import type { BoundedMailbox } from './mailbox.js';
import type { ActorMetrics } from './metrics.js';
import { RestartBudget, type SupervisorStrategy } from './supervision.js';

/** Lifecycle events of actors, for logs, tests and the process run group. */
export type ActorEvent =
  | { readonly type: 'restarting'; readonly path: string; readonly error: unknown; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'budget-exceeded'; readonly path: string; readonly error: InstanceType<typeof RestartBudgetExceededError> }
  | { readonly type: 'stopped'; readonly path: string; readonly reason: StopReason };

/** What a cell needs from its system. */
export interface CellHost {
  readonly clock: Clock;
  readonly metrics: ActorMetrics;
  readonly random: () => number;
  tell<T>(to: ActorRef<T>, msg: T): void;
  ask<Req, Res>(to: ActorRef<Req>, make: (replyTo: ActorRef<Res>) => Req, o: AskOptions): Promise<Res>;
  requestStop(path: string): void;
  emit(e: ActorEvent): void;
}

type Step = 'resume' | 'restart' | 'stop';


export class Cell<M extends { readonly kind: string }> {
  readonly ref: ActorRef<M>;
  readonly done: Promise<StopReason>;
  #resolveDone!: (r: StopReason) => void;
  #stopping = false;
  #life = new AbortController();
  #incarnation = new AbortController();
  #finalReason: StopReason = { kind: 'stopped' };
  #actor: Actor<M> | undefined;
  readonly #budget: RestartBudget;

  constructor(
    readonly path: string,
    private readonly factory: ActorFactory<M>,
    readonly mailbox: BoundedMailbox<M>,
    private readonly strategy: SupervisorStrategy,
    private readonly host: CellHost,
    private readonly log: Logger,
  ) {
    this.ref = { path };
    this.#budget = new RestartBudget(strategy.maxRestarts, strategy.windowMs);
    this.done = new Promise((r) => { this.#resolveDone = r; });
  }

  get stopping(): boolean { return this.#stopping; }

  start(): void { void this.#loop(); }

  /** Stops after the current message; queued messages are dropped. Idempotent. */
  stop(): Promise<StopReason> {
    if (!this.#stopping) {
      this.#stopping = true;
      const dropped = this.mailbox.close();
      if (dropped.length > 0) this.log.debug({ dropped: dropped.length }, 'dropping queued messages on stop');
      this.#incarnation.abort();
      this.#life.abort();
    }
    return this.done;
  }

  async #loop(): Promise<void> {
    let ctx: ActorContext<M> | undefined;
    while (!this.#stopping) {
      if (this.#actor === undefined || ctx === undefined) {
        this.#incarnation = new AbortController();
        ctx = this.#context(this.#incarnation.signal);
        try {
          this.#actor = this.factory();
          await this.#actor.started?.(ctx);
        } catch (err) {
          // A failed start cannot be resumed: there is no started instance to resume.
          const step = await this.#onFailure(err, undefined, true);
          if (step === 'stop') break;
          continue;
        }
      }
      const actor = this.#actor;
      let msg: M;
      try { msg = await this.mailbox.take(); } catch { break; }
      const t0 = performance.now();
      try {
        await actor.receive(msg, ctx);
        this.host.metrics.messages.inc({ actor: this.path, outcome: 'ok' });
      } catch (err) {
        this.host.metrics.messages.inc({ actor: this.path, outcome: 'error' });
        if (await this.#onFailure(err, msg.kind, false) === 'stop') break;
      } finally {
        this.host.metrics.duration.observe({ actor: this.path }, (performance.now() - t0) / 1000);
      }
    }
    this.#stopping = true;
    this.mailbox.close();
    this.#incarnation.abort();
    const last = this.#actor;
    this.#actor = undefined;
    if (last !== undefined) await this.#callStopped(last, this.#finalReason);
    this.host.emit({ type: 'stopped', path: this.path, reason: this.#finalReason });
    this.#resolveDone(this.#finalReason);
  }

  /** Applies the strategy to a failure; on restart also ends the old instance and waits the backoff. */
  async #onFailure(err: unknown, kind: string | undefined, starting: boolean): Promise<Step> {
    if (this.#stopping) return 'stop';
    let directive = this.strategy.decide(err);
    if (directive === 'resume' && starting) directive = 'restart';
    if (directive === 'resume') {
      this.log.warn({ err, kind }, 'actor failed on a message; resuming with the next one');
      return 'resume';
    }
    if (directive === 'stop') {
      this.log.error({ err, kind }, 'actor failed; stopping it');
      this.#finalReason = { kind: 'failed', error: err };
      return 'stop';
    }
    const attempt = this.#budget.take(this.host.clock.now());
    if (attempt === undefined) {
      const e = new RestartBudgetExceededError(
        `supervising actor ${this.path}: more than ${this.strategy.maxRestarts} restarts within ${this.strategy.windowMs}ms`,
        { cause: err, data: { actor: this.path, maxRestarts: this.strategy.maxRestarts, windowMs: this.strategy.windowMs } });
      this.log.error({ err: e }, 'actor restart budget exceeded; stopping it');
      this.#finalReason = { kind: 'failed', error: e };
      this.host.emit({ type: 'budget-exceeded', path: this.path, error: e });
      return 'stop';
    }
    const delayMs = backoffDelay(attempt, this.strategy.backoff, this.host.random);
    this.#incarnation.abort();
    const old = this.#actor;
    this.#actor = undefined;
    if (old !== undefined) await this.#callStopped(old, { kind: 'restarting', error: err });
    this.host.metrics.restarts.inc({ actor: this.path });
    this.log.warn({ err, kind, attempt, delayMs }, 'actor failed; restarting after backoff');
    this.host.emit({ type: 'restarting', path: this.path, error: err, attempt, delayMs });
    try {
      await this.host.clock.sleep(delayMs, this.#life.signal);
    } catch {
      return 'stop';
    }
    return 'restart';
  }

  async #callStopped(actor: Actor<M>, reason: StopReason): Promise<void> {
    try { await actor.stopped?.(reason); } catch (err) { this.log.warn({ err }, 'actor stopped hook threw; ignoring'); }
  }

  #context(signal: AbortSignal): ActorContext<M> {
    const host = this.host;
    return {
      self: this.ref, log: this.log, signal, clock: host.clock,
      tell: (to, msg) => host.tell(to, msg),
      ask: (to, make, o) => host.ask(to, make, o),
      stopSelf: () => host.requestStop(this.path),
    };
  }
}
