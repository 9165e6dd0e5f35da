import { defineDomainError } from '../../errors/domain-error.js';

/**
 * A query failed during evaluation (Prometheus's `execution` error class, HTTP 422): duplicate
 * label sets, many-to-many matching, invalid function arguments, native histograms. Not retryable.
 */
export const PromqlExecutionError = defineDomainError('PROMQL_EXECUTION', false, 'PromqlExecutionError');
export type PromqlExecutionError = InstanceType<typeof PromqlExecutionError>;

/** The query would hold more samples in memory than `maxSamples` (HTTP 422). Not retryable. */
export const PromqlTooManySamplesError = defineDomainError('PROMQL_TOO_MANY_SAMPLES', false, 'PromqlTooManySamplesError');
export type PromqlTooManySamplesError = InstanceType<typeof PromqlTooManySamplesError>;

/** The query ran past its timeout (HTTP 503). Retryable. */
export const PromqlTimeoutError = defineDomainError('PROMQL_TIMEOUT', true, 'PromqlTimeoutError');
export type PromqlTimeoutError = InstanceType<typeof PromqlTimeoutError>;

/** The caller aborted the query through its AbortSignal (HTTP 503). Not retryable. */
export const PromqlCanceledError = defineDomainError('PROMQL_CANCELED', false, 'PromqlCanceledError');
export type PromqlCanceledError = InstanceType<typeof PromqlCanceledError>;

/** Bad query parameters or a query of the wrong type for the call (HTTP 400 `bad_data`). Not retryable. */
export const PromqlBadQueryError = defineDomainError('PROMQL_BAD_QUERY', false, 'PromqlBadQueryError');
export type PromqlBadQueryError = InstanceType<typeof PromqlBadQueryError>;

export function execError(msg: string): PromqlExecutionError {
  return new PromqlExecutionError(msg);
}

export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';

/** The error for native-histogram data, which this engine does not evaluate. */
export function nativeHistogramsUnsupported(series: string): PromqlExecutionError {
  return new PromqlExecutionError(`native histograms are not supported (series ${series})`);
}
