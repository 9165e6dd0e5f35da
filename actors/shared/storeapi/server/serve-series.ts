import type { Counter, Gauge } from 'prom-client';
import { CancelledError, TimeoutError } from '../../../../runtime/errors/runtime-errors.js';
import type { Subject } from '../../../../runtime/transport/subject.js';
import type { StreamWriter, Subscription, Transport } from '../../../../runtime/transport/transport.js';
import type { SeriesFrame } from '../protocol.js';
import type { Series } from '../types.js';
import type { StoreAPI } from '../storeapi.js';
import { parseSeriesRequest } from '../validate-request.js';
import { StoreApiOverloadedError } from './errors.js';
import type { StoreServerStats } from './serve.js';
import { packSeriesColumns } from '../series-columns.js';
import { SeriesPacker } from './series-packer.js';
import { parseSeriesOpen } from './wire.js';

/** Why a finished series call's signal is aborted (releases the implementation's listeners); made once — a fresh DOMException per call costs a stack capture. */
const SERIES_CALL_ENDED = new CancelledError('serving series: the call ended');

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Shared mutable state of one server's Series handler. */
export interface SeriesServerState {
  readonly stats: Mutable<StoreServerStats>;
  readonly inFlightGauge: Gauge<'component'> | undefined;
  readonly rejected: Counter<'component'> | undefined;
  readonly requests: Counter<'component' | 'method' | 'outcome'> | undefined;
}

interface SeriesServeOptions {
  readonly transport: Transport;
  readonly component: string;
  readonly impl: StoreAPI;
  readonly maxConcurrentSeries?: number;
  readonly batchBytes?: number;
  readonly flushAfterMs?: number;
}

const DEFAULT_MAX_CONCURRENT = 32;

/**
 * Serves Series streams on `subject`: bounded concurrency (STOREAPI_OVERLOADED beyond it), request
 * validation, the caller's deadline and cancellation as one AbortSignal into the implementation,
 * series re-packed into byte-bounded batches sent in their columnar wire form (`columns`,
 * series-columns.ts), warnings and hints passed through in place.
 */
export function serveSeries(o: SeriesServeOptions, subject: Subject, st: SeriesServerState): Subscription {
  const max = o.maxConcurrentSeries ?? DEFAULT_MAX_CONCURRENT;
  const batchBytes = o.batchBytes ?? Math.min(64 * 1024, Math.floor(o.transport.maxPayloadBytes / 4));
  const flushAfterMs = o.flushAfterMs ?? 20;
  const labels = { component: o.component };
  return o.transport.handleStream(subject, async (raw, out, ctx) => {
    if (st.stats.seriesInFlight >= max) {
      st.stats.seriesRejected++;
      st.rejected?.inc(labels);
      st.requests?.inc({ ...labels, method: 'series', outcome: 'STOREAPI_OVERLOADED' });
      throw new StoreApiOverloadedError(`serving series: ${max} streams already in flight, try again later`, {
        data: { limit: max, inFlight: st.stats.seriesInFlight },
      });
    }
    st.stats.seriesInFlight++;
    st.stats.seriesStreams++;
    st.inFlightGauge?.inc(labels);
    const ctl = new AbortController();
    const onAbort = () => ctl.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    let deadline: ReturnType<typeof setTimeout> | undefined;
    try {
      const open = parseSeriesOpen(raw);
      const req = parseSeriesRequest(open.request);
      if (open.deadlineMs > 0) {
        deadline = setTimeout(() => ctl.abort(new TimeoutError('serving series: the caller\'s deadline passed', {
          data: { deadlineMs: open.deadlineMs },
        })), Math.max(0, open.deadlineMs - Date.now()));
      }
      if (ctx.signal.aborted) onAbort();
      await pump(o.impl.series(req, ctl.signal), out, ctl.signal, batchBytes, flushAfterMs, st.stats);
      // An implementation that just stops when aborted must not look like a complete answer.
      if (ctl.signal.aborted) throw ctl.signal.reason;
      st.requests?.inc({ ...labels, method: 'series', outcome: 'ok' });
    } catch (err) {
      st.requests?.inc({ ...labels, method: 'series', outcome: errOutcome(err) });
      throw ctl.signal.aborted && ctl.signal.reason instanceof TimeoutError ? ctl.signal.reason : err;
    } finally {
      clearTimeout(deadline);
      ctx.signal.removeEventListener('abort', onAbort);
      if (!ctl.signal.aborted) ctl.abort(SERIES_CALL_ENDED);
      st.stats.seriesInFlight--;
      st.inFlightGauge?.dec(labels);
    }
  });
}

/** Moves the implementation's frames to the writer, batching series; a partial batch waits at most `flushAfterMs`. */
async function pump(
  frames: AsyncIterable<SeriesFrame>, out: StreamWriter, signal: AbortSignal, batchBytes: number, flushAfterMs: number,
  stats: Mutable<StoreServerStats>,
): Promise<void> {
  const packer = new SeriesPacker(batchBytes);
  const due = new FlushDue(flushAfterMs);
  const write = async (f: SeriesFrame | undefined) => {
    if (f === undefined) return;
    if (signal.aborted) throw signal.reason;
    await out.write(f.kind === 'batch' ? packSeriesColumns(f.series) : f);
    if (out.bufferedBytes > stats.maxBufferedBytes) stats.maxBufferedBytes = out.bufferedBytes;
  };
  const flush = () => { due.disarm(); return write(packer.take()); };
  /** Adds series to the packer; writes (awaits) only when a frame fills up. */
  const addAll = async (series: readonly Series[]) => {
    for (const s of series) {
      const full = packer.add(s);
      if (full !== undefined) { due.disarm(); await write(full); }
    }
    if (series.length > 0) due.arm(); // the batch now holding them is sent within flushAfterMs at the latest
  };
  const it = frames[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const next = it.next();
      next.catch(() => undefined); // observed below; avoids an unhandled rejection if a write fails first
      let r = due.promise === undefined ? await next : await Promise.race([next, due.promise]);
      if (r === undefined) { await flush(); r = await next; }
      if (r.done === true) { done = true; break; }
      const f = r.value;
      if (f.kind === 'series') await addAll([f.series]);
      else if (f.kind === 'batch') await addAll(f.series);
      else { await flush(); await write(f); }
    }
    await flush();
  } catch (err) {
    if (!signal.aborted) await flush().catch(() => undefined);
    throw err;
  } finally {
    due.disarm();
    if (!done) await it.return?.().catch(() => undefined);
  }
}

/**
 * One timer per partial batch (not per frame): armed when a batch starts filling, `promise`
 * resolves `flushAfterMs` later so the pump sends the partial batch instead of waiting on a slow
 * implementation; disarmed when the batch is sent.
 */
class FlushDue {
  promise: Promise<undefined> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ms: number) {}

  arm(): void {
    if (this.promise !== undefined) return;
    this.promise = new Promise((resolve) => { this.timer = setTimeout(() => resolve(undefined), this.ms); });
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.promise = undefined;
  }
}

/** A metric-safe outcome label for an error: its code, or INTERNAL. */
export function errOutcome(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'INTERNAL';
}
