/**
 * The response envelope of the Prometheus 2.42 HTTP API and its error classes.
 *
 * success: `{"status":"success","data":<data>}` plus `,"warnings":[…]` when there are any;
 * error:   `{"status":"error","errorType":"<type>","error":"<message>"}`;
 * no data and no error: 204 with an empty body. Content type `application/json`.
 */
import type { HttpResponse } from '../../../../runtime/http/types.js';
import { defineDomainError } from '../../errors/domain-error.js';
import { goJsonString, goJsonStringList } from './go-json.js';

/** Prometheus's `errorType` values. */
export type ApiErrorType = 'timeout' | 'canceled' | 'execution' | 'bad_data' | 'internal' | 'unavailable' | 'not_found';

/** HTTP status per error type, as 2.42's `respondError` (unavailable falls to its default 500). */
export const ERROR_STATUS: Readonly<Record<ApiErrorType, number>> = {
  bad_data: 400, execution: 422, canceled: 503, timeout: 503, internal: 500, unavailable: 500, not_found: 404,
};

/** An API error with its Prometheus error type; handlers throw it, the route wrapper renders it. */
export const PrometheusApiError = defineDomainError('PROMQL_API', false, 'PrometheusApiError');
export type PrometheusApiError = InstanceType<typeof PrometheusApiError>;

/** Builds a PrometheusApiError of `type` with Prometheus's message text. */
export function apiError(type: ApiErrorType, message: string, cause?: unknown): PrometheusApiError {
  return new PrometheusApiError(message, { data: { errorType: type }, ...(cause === undefined ? {} : { cause }) });
}

/** `bad_data` with 2.42's `invalid parameter "<name>": <message>` wrapping. */
export function invalidParam(name: string, message: string, cause?: unknown): PrometheusApiError {
  return apiError('bad_data', `invalid parameter ${goQuoted(name)}: ${message}`, cause);
}

/** Go's `%q` for the plain ASCII parameter names used here. */
function goQuoted(s: string): string { return JSON.stringify(s); }

const CONTENT_TYPE = { 'content-type': 'application/json' };

/** A success response around already-encoded `data` JSON. */
export function successResponse(dataJson: string, warnings: readonly string[] = []): HttpResponse {
  const w = warnings.length > 0 ? ',"warnings":' + goJsonStringList(warnings) : '';
  return { status: 200, headers: CONTENT_TYPE, body: '{"status":"success","data":' + dataJson + w + '}' };
}

/** A success response whose `data` JSON comes in pieces (sent with chunked transfer encoding). */
export function successStreamResponse(data: Iterable<string>, warnings: readonly string[] = []): HttpResponse {
  async function* body(): AsyncGenerator<string> {
    yield '{"status":"success","data":';
    yield* data;
    yield (warnings.length > 0 ? ',"warnings":' + goJsonStringList(warnings) : '') + '}';
  }
  return { status: 200, headers: CONTENT_TYPE, stream: body() };
}

/** An error response with the type's status code. */
export function errorResponse(type: ApiErrorType, message: string): HttpResponse {
  return {
    status: ERROR_STATUS[type], headers: CONTENT_TYPE,
    body: '{"status":"error","errorType":"' + type + '","error":' + goJsonString(message) + '}',
  };
}

/** 204, as 2.42 answers a handler that returns neither data nor an error. */
export function noContentResponse(): HttpResponse { return { status: 204 }; }

const CODE_TYPES: Readonly<Record<string, ApiErrorType>> = {
  PROMQL_PARSE: 'bad_data', PROMQL_BAD_QUERY: 'bad_data', PROMQL_EXECUTION: 'execution',
  PROMQL_TOO_MANY_SAMPLES: 'execution', PROMQL_TIMEOUT: 'timeout', PROMQL_CANCELED: 'canceled',
  LABELS_BAD_MATCHER: 'bad_data',
};

/**
 * The error type for anything a handler or its dependencies threw: PrometheusApiError keeps its
 * type; PromQL errors map by code (also after a wire trip); anything else is `execution`, as 2.42's
 * `returnAPIError` default (2.42 never produces its `internal` storage class from queries).
 */
export function classifyError(err: unknown): { type: ApiErrorType; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (code === 'PROMQL_API') {
      const data = (err as { data?: Record<string, unknown> }).data;
      const t = data?.['errorType'];
      if (typeof t === 'string' && t in ERROR_STATUS) return { type: t as ApiErrorType, message };
    }
    if (typeof code === 'string' && code in CODE_TYPES) return { type: CODE_TYPES[code]!, message };
  }
  return { type: 'execution', message };
}
