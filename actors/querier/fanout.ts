import { setMaxListeners } from 'node:events';
import { CancelledError } from '../../runtime/errors/runtime-errors.js';
import type { SeriesFrame, SeriesRequest } from '../shared/storeapi/protocol.js';
import type { StoreAPI } from '../shared/storeapi/storeapi.js';
import { QuerierStoreTimeoutError } from './errors.js';

/**
 * The Series timeout to give a StoreClient whose streams go through seriesWithTimeout: a backstop
 * well past `--store.response-timeout` (twice it; 10 minutes when it is off, the query timeout
 * cancelling earlier), so the fan-out's per-frame timer is the one that fires and names the store.
 */
export function clientSeriesBackstopMs(responseTimeoutMs: number): number {
  return responseTimeoutMs > 0 ? 2 * responseTimeoutMs : 10 * 60_000;
}

/**
 * One store's Series stream with Thanos's per-frame `--store.response-timeout` (0 = off): when the
 * store sends nothing for `timeoutMs` (before the first frame or between frames), the store's call
 * is cancelled (its own signal fires, the iterator is closed without waiting) and the stream fails
 * with QuerierStoreTimeoutError "failed to receive any data in <t> from <store>" — the merge turns
 * that into a warning (WARN) or an abort (ABORT). The parent `signal` cancels the store's call too.
 */
export async function* seriesWithTimeout(
  store: StoreAPI, name: string, req: SeriesRequest, timeoutMs: number, signal: AbortSignal,
): AsyncGenerator<SeriesFrame, void, undefined> {
  const ac = new AbortController();
  const onAbort = () => ac.abort(signal.reason);
  if (signal.aborted) onAbort(); else signal.addEventListener('abort', onAbort, { once: true });
  const it = store.series(req, ac.signal)[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const r = timeoutMs > 0 ? await nextWithin(it, timeoutMs, name) : await it.next();
      if (r.done === true) { finished = true; return; }
      yield r.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!finished) {
      ac.abort(new QuerierStoreTimeoutError(`store ${name}: series call ended early`));
      void it.return?.().catch(() => undefined);
    }
  }
}

async function nextWithin<T>(it: AsyncIterator<T>, ms: number, name: string): Promise<IteratorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QuerierStoreTimeoutError(`failed to receive any data in ${fmtMs(ms)} from ${name}`, {
      data: { store: name, timeoutMs: ms },
    })), ms);
  });
  try {
    return await Promise.race([it.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function fmtMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Why a finished fan-out's scope is aborted (made once, not a fresh DOMException per query). */
const FANOUT_ENDED = new CancelledError('fan-out ended');

/**
 * A controller for one fan-out: aborted when `parent` aborts and by `done()` (call it in a
 * `finally` once the merge ended), so stores still streaming after an early end (abort, limit,
 * error) are cancelled rather than left waiting.
 */
export function fanoutScope(parent: AbortSignal): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  setMaxListeners(0, ac.signal); // one listener per store of the fan-out (bounded by the store set)
  const onAbort = () => ac.abort(parent.reason);
  if (parent.aborted) onAbort(); else parent.addEventListener('abort', onAbort, { once: true });
  return { signal: ac.signal, done: () => { parent.removeEventListener('abort', onAbort); ac.abort(FANOUT_ENDED); } };
}
