import { decode, encode } from '../../../../runtime/codec/codec.js';
import { CancelledError } from '../../../../runtime/errors/runtime-errors.js';
import { SeriesFrameReader } from '../client/frame-reader.js';
import type { SeriesFrame } from '../protocol.js';
import type { StoreAPI } from '../storeapi.js';
import { parseLabelNamesRequest, parseLabelValuesRequest, parseSeriesRequest } from '../validate-request.js';
import { parseInfoResponse, parseLabelNamesResponse, parseLabelValuesResponse } from '../validate-response.js';

export interface ServerAsClientOptions {
  /**
   * Pass every request, reply and frame through the runtime codec (encode + decode) as a network
   * hop would, so the caller gets its own copies (chunk bytes included) and can never alias the
   * server's memory. Default true; false = validate only (no copies, fastest).
   */
  readonly copy?: boolean;
}

/**
 * A StoreAPI for a server-side implementation without a transport (single-process mode, fast
 * tests), with the semantics of `StoreClient` over `serveStoreAPI`: requests validated before the
 * implementation sees them (STOREAPI_BAD_REQUEST), every frame and reply validated
 * (STOREAPI_BAD_RESPONSE, unsorted streams included), series reshaped to the caller's
 * `responseBatchSize`, bytes copied, and the caller's signal passed to the implementation; a fired
 * signal ends a stream with CancelledError without pulling further frames, and breaking out of it
 * closes the implementation's iterator.
 */
export function serverAsClient(impl: StoreAPI, opts: ServerAsClientOptions = {}): StoreAPI {
  const copy = opts.copy ?? true;
  const hop = (x: unknown, what: string): unknown => (copy ? decode(encode(x), what) : x);
  return {
    async info(signal) {
      return parseInfoResponse(hop(await impl.info(signal), 'storeapi info response'));
    },
    series(req, signal) {
      return (async function* (): AsyncGenerator<SeriesFrame> {
        const r = parseSeriesRequest(hop(req, 'storeapi series request'));
        const reader = new SeriesFrameReader(r.responseBatchSize);
        check(signal);
        const it = impl.series(r, signal)[Symbol.asyncIterator]();
        let done = false;
        try {
          for (;;) {
            const n = await it.next();
            if (n.done === true) { done = true; return; }
            check(signal);
            for (const f of reader.accept(hop(n.value, 'storeapi series frame'))) {
              check(signal);
              yield f;
            }
          }
        } finally {
          if (!done) await it.return?.();
        }
      })();
    },
    async labelNames(req, signal) {
      const r = parseLabelNamesRequest(hop(req, 'storeapi label names request'));
      return parseLabelNamesResponse(hop(await impl.labelNames(r, signal), 'storeapi label names response'));
    },
    async labelValues(req, signal) {
      const r = parseLabelValuesRequest(hop(req, 'storeapi label values request'));
      return parseLabelValuesResponse(hop(await impl.labelValues(r, signal), 'storeapi label values response'));
    },
  };
}

function check(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError('series stream: cancelled', { cause: signal.reason });
}
