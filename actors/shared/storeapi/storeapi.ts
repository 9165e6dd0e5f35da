import type {
  InfoResponse, LabelNamesRequest, LabelNamesResponse, LabelValuesRequest, LabelValuesResponse, SeriesFrame, SeriesRequest,
} from './protocol.js';

/**
 * The StoreAPI: what every data source (sidecar, store gateway, querier, receive, ruler) serves and
 * what the querier fans out to. Transport-independent: the NATS server/client and the in-process
 * adapter implement this same interface, and one acceptance suite checks them all.
 *
 * Cancellation: every call takes an AbortSignal. Once it fires, the implementation stops working
 * for the call as soon as it can, frees what it holds, and the returned promise / iterator rejects
 * (or ends) promptly; no frames are produced after that. A consumer that stops iterating early
 * (break / `return()`) also ends the call and frees the producer.
 *
 * Errors: requests that fail validation reject with StoreApiBadRequestError before any work; other
 * failures reject with a CodedError (retryable where a retry may help). Partial failures inside a
 * store that still answers are reported in-band as warnings (Series: `warning` frames; labels:
 * `warnings`), never by throwing, regardless of the partial response strategy — the strategy is
 * applied by whoever fans out (the querier's merge turns warnings into an abort under ABORT).
 */
export interface StoreAPI {
  /**
   * What this store holds: external label sets, component type, time range and capabilities.
   * Cheap and side-effect free; may be called often (it backs the discovery announcement).
   */
  info(signal?: AbortSignal): Promise<InfoResponse>;

  /**
   * Streams the series matching `req.matchers` with data in [minTime, maxTime].
   *
   * Ordering: series are sorted by their label sets (Prometheus order, UTF-8 bytes), after
   * `withoutReplicaLabels` are removed, and a series is sent whole before the next one starts
   * (never interleaved). Series that become identical after replica-label removal are sent as
   * separate consecutive frames, one per original series, in the order of their original labels
   * (they are not merged by the store, so the querier keeps each replica's provenance).
   * Chunks within a series are sorted by minTime; they may extend beyond the requested range (the
   * caller trims). `skipChunks` → series carry no chunks. At most `limit` series (0 = all).
   *
   * Frames: `series` (one series), `batch` (several consecutive series, at most
   * `req.responseBatchSize` and LIMITS.maxFrameSeries), `warning` (a partial failure, in-band, may
   * appear anywhere in the stream), `hints` (queried blocks / stats, usually last).
   */
  series(req: SeriesRequest, signal: AbortSignal): AsyncIterable<SeriesFrame>;

  /** Label names (sorted, unique) of series matching `req.matchers` in [start, end]; warnings in-band. */
  labelNames(req: LabelNamesRequest, signal: AbortSignal): Promise<LabelNamesResponse>;

  /** Values (sorted, unique) of `req.label` on series matching `req.matchers` in [start, end]; warnings in-band. */
  labelValues(req: LabelValuesRequest, signal: AbortSignal): Promise<LabelValuesResponse>;
}
