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

/** Opens the scope of operation `what` (e.g. `get "a/b"`). */
export function opScope(o: OpOptions | undefined, what: string): OpScope {
  const ctl = new AbortController();
  let err: Error | undefined;
  const onAbort = (): void => {
    if (err !== undefined) return;
    err = new CancelledError(`${what}: cancelled`, { cause: o?.signal?.reason });
    ctl.abort(err);
  };
  const outer = o?.signal;
  if (outer?.aborted) onAbort(); else outer?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const ms = o?.timeoutMs;
  if (ms !== undefined && ms > 0 && err === undefined) {
    timer = setTimeout(() => {
      if (err !== undefined) return;
      err = new TimeoutError(`${what}: timed out after ${ms}ms`, { data: { timeoutMs: ms } });
      ctl.abort(err);
    }, ms);
  }
  return {
    signal: ctl.signal,
    abortError: () => err,
    dispose: () => { if (timer !== undefined) clearTimeout(timer); outer?.removeEventListener('abort', onAbort); },
  };
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
