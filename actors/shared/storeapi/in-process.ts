import { decode, encode } from '../../../runtime/codec/codec.js';
import { CancelledError } from '../../../runtime/errors/runtime-errors.js';
import type {
  InfoResponse, LabelNamesRequest, LabelNamesResponse, LabelValuesRequest, LabelValuesResponse, SeriesFrame, SeriesRequest,
} from './protocol.js';
import type { StoreAPI } from './storeapi.js';
import { parseLabelNamesRequest, parseLabelValuesRequest, parseSeriesRequest } from './validate-request.js';
import {
  parseInfoResponse, parseLabelNamesResponse, parseLabelValuesResponse, parseSeriesFrame,
} from './validate-response.js';

export interface InProcessOptions {
  /**
   * Pass every request and response through the runtime codec (encode + decode), exactly as a
   * network hop would; off = validate only (no copies). Default false.
   */
  readonly wire?: boolean;
}

/**
 * Gives a caller an in-process StoreAPI for a server-side implementation, with the same boundary
 * checks a remote client applies: requests are validated (STOREAPI_BAD_REQUEST) before the server
 * sees them, every response and frame is validated (STOREAPI_BAD_RESPONSE) before the caller does,
 * and a fired signal ends a stream with CancelledError without pulling further frames.
 */
export function inProcessStoreAPI(server: StoreAPI, opts: InProcessOptions = {}): StoreAPI {
  const hop = <T>(x: T, what: string): unknown => (opts.wire === true ? decode(encode(x), what) : x);
  return {
    async info(signal) {
      return parseInfoResponse(hop<InfoResponse>(await server.info(signal), 'info response'));
    },
    series(req, signal) {
      return (async function* (): AsyncGenerator<SeriesFrame> {
        const r = parseSeriesRequest(hop<SeriesRequest>(req, 'series request'));
        const it = server.series(r, signal)[Symbol.asyncIterator]();
        try {
          for (;;) {
            if (signal.aborted) throw new CancelledError('series stream: cancelled', { cause: signal.reason });
            const n = await it.next();
            if (n.done === true) return;
            if (signal.aborted) throw new CancelledError('series stream: cancelled', { cause: signal.reason });
            yield parseSeriesFrame(hop<SeriesFrame>(n.value, 'series frame'));
          }
        } finally {
          await it.return?.();
        }
      })();
    },
    async labelNames(req, signal) {
      const r = parseLabelNamesRequest(hop<LabelNamesRequest>(req, 'label names request'));
      return parseLabelNamesResponse(hop<LabelNamesResponse>(await server.labelNames(r, signal), 'label names response'));
    },
    async labelValues(req, signal) {
      const r = parseLabelValuesRequest(hop<LabelValuesRequest>(req, 'label values request'));
      return parseLabelValuesResponse(hop<LabelValuesResponse>(await server.labelValues(r, signal), 'label values response'));
    },
  };
}
