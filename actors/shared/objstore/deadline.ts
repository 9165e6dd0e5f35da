import { CancelledError, TimeoutError } from '../../../runtime/errors/runtime-errors.js';
import type { OpOptions } from './bucket.js';

/** The abort signal of one operation: the caller's signal joined with its timeout. */
export interface OpScope {
  readonly signal: AbortSignal;
  /** The error to throw because the scope was aborted, or undefined if it was not. */
  abortError(): Error | undefined;
  /** Clears the timer; call when the operation ends. */
  dispose(): void;
}

/**
 * Opens the scope of operation `what` (e.g. `get "a/b"`). The scope's signal depends on the caller's
 * through `AbortSignal.any`, so thousands of concurrent operations sharing one caller signal add no
 * listeners to it.
 */
export function opScope(o: OpOptions | undefined, what: string): OpScope {
  const outer = o?.signal;
  const ms = o?.timeoutMs;
  let err: Error | undefined;
  const abortError = (): Error | undefined => {
    if (err === undefined && outer?.aborted) err = new CancelledError(`${what}: cancelled`, { cause: outer.reason });
    return err;
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new AbortController();
  if (ms !== undefined && ms > 0) {
    timer = setTimeout(() => {
      if (abortError() !== undefined) return;
      err = new TimeoutError(`${what}: timed out after ${ms}ms`, { data: { timeoutMs: ms } });
      timeout.abort(err);
    }, ms);
  }
  const signal = outer === undefined ? timeout.signal : AbortSignal.any([outer, timeout.signal]);
  return { signal, abortError, dispose: () => { if (timer !== undefined) clearTimeout(timer); } };
}

/**
 * Runs `fn` under the operation's scope. Resolves or rejects with `fn`, except that an abort or
 * timeout rejects at once with CancelledError/TimeoutError even if `fn` ignores the signal.
 */
export async function withOp<T>(o: OpOptions | undefined, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const scope = opScope(o, what);
  try {
    const early = scope.abortError();
    if (early !== undefined) throw early;
    const work = fn(scope.signal);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(scope.abortError());
      scope.signal.addEventListener('abort', onAbort, { once: true });
    });
    work.catch(() => { /* the abort path reports instead */ });
    aborted.catch(() => { /* the work path reports instead */ });
    try {
      return await Promise.race([work, aborted]);
    } catch (e) {
      throw scope.abortError() ?? e;
    } finally {
      if (onAbort !== undefined) scope.signal.removeEventListener('abort', onAbort);
    }
  } finally {
    scope.dispose();
  }
}

/** Waits `ms`, or rejects with CancelledError when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(new CancelledError('sleep: cancelled', { cause: signal.reason })); return; }
    const onAbort = (): void => { clearTimeout(t); reject(new CancelledError('sleep: cancelled', { cause: signal?.reason })); };
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Destroys `stream` with a CancelledError when `signal` aborts (until the stream closes). Listens on
 * a dependent signal, so many streams sharing one caller signal add no listeners to it.
 */
export function linkStream<S extends NodeJS.ReadableStream & { destroy(e?: Error): unknown; once(ev: 'close', f: () => void): unknown }>(
  stream: S, signal: AbortSignal | undefined, what: string,
): S {
  if (signal === undefined) return stream;
  const dep = AbortSignal.any([signal]);
  const onAbort = (): void => { stream.destroy(new CancelledError(`${what}: cancelled`, { cause: signal.reason })); };
  if (dep.aborted) { onAbort(); return stream; }
  dep.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => dep.removeEventListener('abort', onAbort));
  return stream;
}
