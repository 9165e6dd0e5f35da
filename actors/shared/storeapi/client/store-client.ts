import { CancelledError } from '../../../../runtime/errors/runtime-errors.js';
import type { Transport } from '../../../../runtime/transport/transport.js';
import type {
  InfoResponse, LabelNamesRequest, LabelNamesResponse, LabelValuesRequest, LabelValuesResponse, SeriesFrame, SeriesRequest,
} from '../protocol.js';
import '../server/errors.js';
import type { SeriesOpen, StoreSubjects } from '../server/wire.js';
import type { StoreAPI } from '../storeapi.js';
import { parseLabelNamesRequest, parseLabelValuesRequest, parseSeriesRequest } from '../validate-request.js';
import { parseInfoResponse, parseLabelNamesResponse, parseLabelValuesResponse } from '../validate-response.js';
import { SeriesFrameReader } from './frame-reader.js';

export interface StoreClientOptions {
  readonly transport: Transport;
  /** The peer's subjects (from its announcement: `parseAnnouncedSubjects`, or `storeSubjects`). */
  readonly subjects: StoreSubjects;
  /**
   * Thanos's `--store.response-timeout`: longest wait for a reply, for the first Series frame and
   * for each next frame (default 30 s). Past it the call fails with TimeoutError and the server is
   * told to stop.
   */
  readonly responseTimeoutMs?: number;
  /**
   * For Series streams only: longest wait for the first frame and between frames (default
   * `responseTimeoutMs`). A caller that times streams itself (the querier's fan-out applies
   * `--store.response-timeout` per frame to every kind of store) passes a longer backstop here, so
   * one timer decides and its error is the one reported.
   */
  readonly seriesTimeoutMs?: number;
  /** Overall deadline of a Series stream, sent to the server, which aborts its work then (default none). */
  readonly seriesDeadlineMs?: number;
  /** Stream window in frames (default: the transport's, 16). */
  readonly window?: number;
}

const DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;

/**
 * The StoreAPI of one remote peer over the transport. Requests are validated before they are sent
 * (STOREAPI_BAD_REQUEST); replies and frames are validated on arrival (STOREAPI_BAD_RESPONSE,
 * including an unsorted stream). Errors: the transport's (NoResponders, Timeout after the response
 * timeout, StreamBroken, Closed), the server's errors rebuilt as their classes (STOREAPI_OVERLOADED
 * is retryable), CancelledError when the caller's signal fires. Breaking out of a Series stream
 * cancels the server's work.
 */
export class StoreClient implements StoreAPI {
  private readonly timeoutMs: number;
  private readonly seriesTimeoutMs: number;

  constructor(private readonly o: StoreClientOptions) {
    this.timeoutMs = o.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
    this.seriesTimeoutMs = o.seriesTimeoutMs ?? this.timeoutMs;
  }

  async info(signal?: AbortSignal): Promise<InfoResponse> {
    const r = await this.o.transport.request(this.o.subjects.info, { kind: 'storeapi.info.request' }, this.opts(signal));
    return parseInfoResponse(r);
  }

  series(req: SeriesRequest, signal: AbortSignal): AsyncIterable<SeriesFrame> {
    return this.stream(req, signal);
  }

  private async *stream(req: SeriesRequest, signal: AbortSignal): AsyncGenerator<SeriesFrame> {
    const request = parseSeriesRequest(req);
    cancelled(signal);
    const open: SeriesOpen = {
      kind: 'storeapi.series.open', request,
      deadlineMs: this.o.seriesDeadlineMs !== undefined ? Date.now() + this.o.seriesDeadlineMs : 0,
    };
    const reader = new SeriesFrameReader(request.responseBatchSize);
    const frames = this.o.transport.requestStream(this.o.subjects.series, open, {
      ...this.opts(signal, this.seriesTimeoutMs), stallTimeoutMs: this.seriesTimeoutMs, ...(this.o.window !== undefined ? { window: this.o.window } : {}),
    });
    for await (const raw of frames) {
      for (const f of reader.accept(raw)) {
        cancelled(signal);
        yield f;
      }
    }
  }

  async labelNames(req: LabelNamesRequest, signal: AbortSignal): Promise<LabelNamesResponse> {
    const r = parseLabelNamesRequest(req);
    return parseLabelNamesResponse(await this.o.transport.request(this.o.subjects.labelNames, r, this.opts(signal)));
  }

  async labelValues(req: LabelValuesRequest, signal: AbortSignal): Promise<LabelValuesResponse> {
    const r = parseLabelValuesRequest(req);
    return parseLabelValuesResponse(await this.o.transport.request(this.o.subjects.labelValues, r, this.opts(signal)));
  }

  private opts(signal: AbortSignal | undefined, timeoutMs = this.timeoutMs): { timeoutMs: number; signal?: AbortSignal } {
    return signal === undefined ? { timeoutMs } : { timeoutMs, signal };
  }
}

function cancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError('series stream: cancelled', { cause: signal.reason });
}
