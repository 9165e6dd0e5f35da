import { CodedError } from '../errors/coded-error.js';
import { CancelledError, ClosedError, ConfigError, DecodeError, MailboxFullError, PayloadTooLargeError, QueueFullError, TimeoutError } from '../errors/runtime-errors.js';
import { jsonResponse, type HttpResponse } from './types.js';

/**
 * HTTP status for an error thrown by a handler: bad input 400, too large 413, overload or
 * shutdown 503, timeout 503, client cancelled 499; a CodedError may also carry
 * `data.httpStatus`; anything else 500.
 */
export function statusForError(err: unknown): number {
  if (err instanceof CodedError && typeof err.data?.httpStatus === 'number') return err.data.httpStatus;
  if (err instanceof PayloadTooLargeError) return 413;
  if (err instanceof DecodeError || err instanceof ConfigError) return 400;
  if (err instanceof MailboxFullError || err instanceof QueueFullError || err instanceof ClosedError || err instanceof TimeoutError) return 503;
  if (err instanceof CancelledError) return 499;
  return 500;
}

/**
 * The JSON error body, shaped like the Prometheus API's (`status`, `errorType`, `error`) with our
 * stable code as `errorType` (`INTERNAL` for errors without one).
 */
export function errorResponse(err: unknown): HttpResponse {
  const status = statusForError(err);
  const code = err instanceof CodedError ? err.code : 'INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  const retryable = err instanceof CodedError ? err.retryable : false;
  return jsonResponse(status, { status: 'error', errorType: code, error: message, retryable });
}
