/**
 * The actor contract. An actor is a behaviour with private state that handles one message at a
 * time from its bounded mailbox. Messages are plain, serialisable data tagged with `kind`; a
 * reference to an actor (`ActorRef`) is an address, not a pointer, so the same message could later
 * travel over a transport unchanged.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';

/** An actor's address. `M` is a phantom type: what the actor accepts. Plain data, safe to send. */
export interface ActorRef<M> {
  readonly path: string;
  /** Never set at run time; only carries `M` for the compiler. */
  readonly __msg?: (m: M) => void;
}

/** Why an actor instance's `stopped` hook runs. */
export type StopReason =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'restarting'; readonly error: unknown }
  | { readonly kind: 'failed'; readonly error: unknown };

export interface AskOptions {
  /** Mandatory deadline: rejects with TimeoutError when no reply arrives in time. */
  readonly timeoutMs: number;
  /** Rejects with CancelledError when aborted. */
  readonly signal?: AbortSignal;
}

/** What an actor instance is given. */
export interface ActorContext<M> {
  readonly self: ActorRef<M>;
  /** Child logger bound with `actor: <path>`. */
  readonly log: Logger;
  /** Aborted when this instance is stopping (stop, restart); pass it to I/O and worker tasks. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Enqueues synchronously; throws MailboxFullError / ClosedError (see ActorSystem.tell). */
  tell<T>(to: ActorRef<T>, msg: T): void;
  /** Request/reply; see ActorSystem.ask. */
  ask<Req, Res>(to: ActorRef<Req>, make: (replyTo: ActorRef<Res>) => Req, o: AskOptions): Promise<Res>;
  /** Asks the system to stop this actor once the current message is handled. */
  stopSelf(): void;
}

/**
 * Behaviour of one actor instance. A fresh instance is built by the factory at spawn and at each
 * restart, so fields hold state that a restart resets.
 */
export interface Actor<M extends { readonly kind: string }> {
  /** Runs before the first message; may throw (the supervisor decides). */
  started?(ctx: ActorContext<M>): Promise<void>;
  /** Handles one message; the next is not delivered until this settles. */
  receive(msg: M, ctx: ActorContext<M>): Promise<void>;
  /** Runs once when this instance ends; must not throw (errors are logged and ignored). */
  stopped?(reason: StopReason): Promise<void>;
}

export type ActorFactory<M extends { readonly kind: string }> = () => Actor<M>;
