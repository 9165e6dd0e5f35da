import { CodedError, errorNameFromCode, registerWireError, type CodedErrorOptions, type WireError } from './coded-error.js';

/**
 * Errors of the runtime layer (transport, streams, actors, workers, config).
 * Each class has a fixed code; every code is listed in docs/errors.md.
 */
export abstract class RuntimeError extends CodedError {}

function defineRuntimeError(code: string, retryable: boolean) {
  const Cls = class extends RuntimeError {
    readonly code = code;
    constructor(message: string, options: CodedErrorOptions = {}) { super(message, options, retryable); }
  };
  Object.defineProperty(Cls, 'name', { value: errorNameFromCode(code) });
  registerWireError(code, (w: WireError) => new Cls(w.message, { data: w.data, retryable: w.retryable }));
  return Cls;
}


/** A request/stream deadline passed before an answer arrived. */
export const TimeoutError = defineRuntimeError('RT_TIMEOUT', true);
/** Nobody is subscribed to the subject a request was sent to. */
export const NoRespondersError = defineRuntimeError('RT_NO_RESPONDERS', true);
/** The caller cancelled (AbortSignal) or the peer cancelled a stream. */
export const CancelledError = defineRuntimeError('RT_CANCELLED', false);
/** A streamed reply's producer gave up because the consumer granted no credit in time. */
export const StreamStalledError = defineRuntimeError('RT_STREAM_STALLED', true);
/** A stream broke: frames missing, out of order, or the peer vanished. */
export const StreamBrokenError = defineRuntimeError('RT_STREAM_BROKEN', true);
/** A message or frame could not be decoded or failed validation. */
export const DecodeError = defineRuntimeError('RT_DECODE', false);
/** A message exceeds the allowed size even after splitting. */
export const PayloadTooLargeError = defineRuntimeError('RT_PAYLOAD_TOO_LARGE', false);
/** A bounded mailbox or queue is full. */
export const MailboxFullError = defineRuntimeError('RT_MAILBOX_FULL', true);
/** A bounded queue (worker pool, fan-out) is full. */
export const QueueFullError = defineRuntimeError('RT_QUEUE_FULL', true);
/** The component is shutting down or the transport is closed. */
export const ClosedError = defineRuntimeError('RT_CLOSED', false);
/** Bad configuration or flags. */
export const ConfigError = defineRuntimeError('RT_CONFIG', false);
/** An actor exceeded its restart budget and was stopped. */
export const RestartBudgetExceededError = defineRuntimeError('RT_RESTART_BUDGET', false);
/** A worker task failed. */
export const WorkerTaskError = defineRuntimeError('RT_WORKER_TASK', false);
/** The transport connection failed or was lost. */
export const TransportError = defineRuntimeError('RT_TRANSPORT', true);
