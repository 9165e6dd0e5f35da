/**
 * The worker side of a task. A task module (`*.task.ts`, loaded inside worker threads) exports
 * functions wrapped with `defineTask`:
 *
 *   export const decode = defineTask((input: DecodeIn): DecodeOut => …);
 *
 * The wrapper gives every task the same result convention, so the pool can type and transfer it:
 * - the result travels in an envelope `{ ok: true, value }`; to move (not copy) buffers back,
 *   return `transferOut(value, [buf…])`: the buffers may sit anywhere inside `value` (piscina can
 *   only move a top-level value, so the wrapper moves the envelope with that transfer list);
 * - a thrown error travels as `{ ok: false, error }` with its name, message, `code`,
 *   `retryable` and `data`, which structured clone of an Error would lose.
 * Keep this module light: it is loaded in every worker.
 */
import type { TransferListItem } from 'node:worker_threads';
import { Piscina } from 'piscina';

/** Marks a task result whose listed buffers are moved to the caller (detached in the worker). */
export interface Transfer<T> {
  readonly __transferOut: true;
  readonly value: T;
  readonly transfer: readonly TransferListItem[];
}

export function transferOut<T>(value: T, transfer: readonly TransferListItem[]): Transfer<T> {
  return { __transferOut: true, value, transfer };
}

/** A task error in plain form. */
export interface TaskErrorData {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly retryable?: boolean;
  readonly data?: Record<string, unknown>;
  readonly stack?: string;
}

export type TaskEnvelope<Out> =
  | { readonly __athanorTask: 1; readonly ok: true; readonly value: Out }
  | { readonly __athanorTask: 1; readonly ok: false; readonly error: TaskErrorData };

/** A task function as exported by a task module. `In`/`Out` are carried for the pool's types. */
export type TaskFn<In, Out> = ((input: In) => Promise<unknown>) & { readonly __io?: (i: In) => Out };

export type TaskFnIn<F> = F extends TaskFn<infer I, unknown> ? I : never;
export type TaskFnOut<F> = F extends { readonly __io?: (i: never) => infer O } ? O : never;

export function defineTask<In, Out>(fn: (input: In) => Out | Transfer<Out> | Promise<Out | Transfer<Out>>): TaskFn<In, Out> {
  return async (input: In): Promise<unknown> => {
    try {
      const r = await fn(input);
      if (isTransfer<Out>(r)) {
        const env: TaskEnvelope<Out> = { __athanorTask: 1, ok: true, value: r.value };
        if (r.transfer.length === 0) return env;
        return Piscina.move({ [Piscina.transferableSymbol]: [...r.transfer], [Piscina.valueSymbol]: env } as never);
      }
      return { __athanorTask: 1, ok: true, value: r } satisfies TaskEnvelope<Out>;
    } catch (err) {
      return { __athanorTask: 1, ok: false, error: errorData(err) } satisfies TaskEnvelope<Out>;
    }
  };
}

function isTransfer<T>(x: unknown): x is Transfer<T> {
  return typeof x === 'object' && x !== null && (x as { __transferOut?: unknown }).__transferOut === true;
}

function errorData(err: unknown): TaskErrorData {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & { code?: unknown; retryable?: unknown; data?: unknown };
  const out: { -readonly [K in keyof TaskErrorData]: TaskErrorData[K] } = { name: e.name, message: e.message };
  if (typeof e.code === 'string') out.code = e.code;
  if (typeof e.retryable === 'boolean') out.retryable = e.retryable;
  if (typeof e.data === 'object' && e.data !== null) out.data = e.data as Record<string, unknown>;
  if (e.stack !== undefined) out.stack = e.stack;
  return out;
}
