import { isDeepStrictEqual } from 'node:util';
import type { Registry as MetricsRegistry } from 'prom-client';
import { metricsFor } from '../../../../runtime/metrics/registry.js';
import type { AnnounceOptions, Presence } from '../../../../runtime/node/host.js';
import type { Subjects } from '../../../../runtime/transport/subject.js';
import type { Subscription, Transport } from '../../../../runtime/transport/transport.js';
import type { InfoResponse } from '../protocol.js';
import type { StoreAPI } from '../storeapi.js';
import { parseLabelNamesRequest, parseLabelValuesRequest } from '../validate-request.js';
import { errOutcome, serveSeries, type SeriesServerState } from './serve-series.js';
import { announcedSubjects, storeSubjects, type StoreSubjects } from './wire.js';

/** An implementation that can tell when its Info changed (e.g. `MemoryStore.update()`, a new block). */
export interface InfoChangeSource {
  /** Subscribes to Info changes; returns the unsubscribe function. */
  onInfoChange?(listener: () => void): () => void;
}

export interface ServeStoreAPIOptions {
  readonly transport: Transport;
  readonly subjects: Subjects;
  /** Announces presence; a NodeHost (only `announce` is used). */
  readonly host: { announce(a: AnnounceOptions): Promise<Presence> };
  /** Component role announced and used in subjects (`store`, `sidecar`, `query`, …). */
  readonly component: string;
  /** Instance id (subject token). */
  readonly id: string;
  readonly impl: StoreAPI & InfoChangeSource;
  /** Concurrent Series streams served at once; more are refused with STOREAPI_OVERLOADED (default 32). */
  readonly maxConcurrentSeries?: number;
  /** Target encoded size of one batch frame (default min(64 KiB, maxPayloadBytes / 4)). */
  readonly batchBytes?: number;
  /** A partial batch is sent at most this long after its first series (default 20 ms). */
  readonly flushAfterMs?: number;
  /** Info is also re-read this often and re-announced when it changed (default 30 s; 0 = only on change events). */
  readonly infoRefreshMs?: number;
  /** Where to register `athanor_storeapi_*` metrics (none when absent). */
  readonly metrics?: MetricsRegistry;
  /** Told about failures that have no caller to go to (Info refresh). */
  readonly onError?: (err: unknown, what: string) => void;
}

/** Counters of one server (also exported as metrics when a registry is given). */
export interface StoreServerStats {
  readonly seriesStreams: number;
  readonly seriesInFlight: number;
  readonly seriesRejected: number;
  /** Largest `writer.bufferedBytes` seen on any stream: bytes sent but not yet credited. */
  readonly maxBufferedBytes: number;
}

/** A served StoreAPI instance. */
export interface StoreServer {
  readonly subjects: StoreSubjects;
  readonly stats: StoreServerStats;
  /** Re-reads Info from the implementation and re-announces it when it changed. */
  refreshInfo(): Promise<void>;
  /** Says goodbye, stops serving (in-flight streams finish or are cancelled by the transport). */
  close(): Promise<void>;
}

/**
 * Serves `impl` on its instance subjects (`<prefix>.rpc.<component>.storeapi-*.<id>`): Series as
 * a flow-controlled stream, LabelNames/LabelValues/Info as request/reply, and announces Info
 * (the announcement's `info` is the InfoResponse) through discovery, re-announcing it when it
 * changes. Requests are validated with the protocol validators (STOREAPI_BAD_REQUEST travels
 * back as a wire error; the server keeps serving). See SERVING.md for the protocol.
 */
export async function serveStoreAPI(o: ServeStoreAPIOptions): Promise<StoreServer> {
  const subjects = storeSubjects(o.subjects, o.component, o.id);
  const m = o.metrics ? metricsFor(o.metrics) : undefined;
  const requests = m?.counter({
    name: 'athanor_storeapi_requests_total', help: 'StoreAPI requests served, by method and outcome.',
    labelNames: ['component', 'method', 'outcome'],
  });
  const state: SeriesServerState = {
    stats: { seriesStreams: 0, seriesInFlight: 0, seriesRejected: 0, maxBufferedBytes: 0 },
    inFlightGauge: m?.gauge({ name: 'athanor_storeapi_series_in_flight', help: 'Series streams being served.', labelNames: ['component'] }),
    rejected: m?.counter({
      name: 'athanor_storeapi_series_rejected_total', help: 'Series streams refused because the server was at its concurrency limit.',
      labelNames: ['component'],
    }),
    requests,
  };
  const count = (method: string, outcome: string) => requests?.inc({ component: o.component, method, outcome });
  const answer = async <T>(method: string, fn: () => Promise<T>): Promise<T> => {
    try { const r = await fn(); count(method, 'ok'); return r; } catch (err) { count(method, errOutcome(err)); throw err; }
  };

  const subs: Subscription[] = [
    serveSeries(o, subjects.series, state),
    o.transport.handle(subjects.labelNames, (raw, ctx) => answer('labelNames', () => o.impl.labelNames(parseLabelNamesRequest(raw), ctx.signal))),
    o.transport.handle(subjects.labelValues, (raw, ctx) => answer('labelValues', () => o.impl.labelValues(parseLabelValuesRequest(raw), ctx.signal))),
    o.transport.handle(subjects.info, (_raw, ctx) => answer('info', () => o.impl.info(ctx.signal))),
  ];
  await o.transport.flush();

  let info: InfoResponse = await o.impl.info();
  const presence = await o.host.announce({ component: o.component, id: o.id, serves: announcedSubjects(subjects), info });
  let closed = false;
  const refreshInfo = async (): Promise<void> => {
    if (closed) return;
    const next = await o.impl.info();
    if (closed || isDeepStrictEqual(next, info)) return;
    info = next;
    presence.update(info);
  };
  const refreshQuietly = () => { refreshInfo().catch((err: unknown) => o.onError?.(err, 'refreshing storeapi info')); };
  const offChange = o.impl.onInfoChange?.(refreshQuietly);
  const period = o.infoRefreshMs ?? 30_000;
  const timer = period > 0 ? setInterval(refreshQuietly, period) : undefined;
  timer?.unref();

  return {
    subjects,
    stats: state.stats,
    refreshInfo,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      offChange?.();
      await presence.withdraw();
      await Promise.all(subs.map((s) => s.unsubscribe()));
    },
  };
}
