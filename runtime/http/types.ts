import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** A request as handlers see it. */
export interface HttpRequest {
  readonly method: string;
  /** Decoded path without the query string. */
  readonly path: string;
  readonly url: URL;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Aborted when the client goes away or the server force-closes on shutdown. */
  readonly signal: AbortSignal;
  /** The whole body, at most the server's `maxBodyBytes`, else PayloadTooLargeError (→ 413). Reads once; later calls return the same bytes. */
  body(): Promise<Buffer>;
  /** `body()` as UTF-8. */
  text(): Promise<string>;
  /** Query parameters merged with an `application/x-www-form-urlencoded` body (body values appended after query ones). */
  params(): Promise<URLSearchParams>;
  readonly raw: IncomingMessage;
}

/**
 * What a handler returns. Either `body` (sent whole) or `stream` (written chunk by chunk with
 * backpressure; ended when the iterable ends). Header names are lowercase.
 */
export interface HttpResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly stream?: AsyncIterable<string | Uint8Array>;
}

/**
 * Handles one request. Throwing is fine: the server turns the error into a JSON error response
 * (status by error type, see `statusForError`) and keeps serving.
 */
export type HttpHandler = (req: HttpRequest) => Promise<HttpResponse>;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | '*';

/** A JSON response. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** A plain-text response. */
export function textResponse(status: number, text: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: text };
}
