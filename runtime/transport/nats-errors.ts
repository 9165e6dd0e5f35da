import { ErrorCode, NatsError } from 'nats';
import type { CodedError } from '../errors/coded-error.js';
import { CancelledError, ClosedError, ConfigError, NoRespondersError, PayloadTooLargeError, TimeoutError, TransportError } from '../errors/runtime-errors.js';

/**
 * Maps an error thrown by the `nats` client to a runtime error, keeping it as `cause`.
 * `what` says what was being done (e.g. `requesting on athanor.rpc.store.series`).
 */
export function mapNatsError(err: unknown, what: string, data: Record<string, unknown> = {}): CodedError {
  const code = err instanceof NatsError ? err.code : undefined;
  const msg = err instanceof Error ? err.message : String(err);
  const opts = { cause: err, data: { ...data, natsCode: code ?? null } };
  switch (code) {
    case ErrorCode.NoResponders: return new NoRespondersError(`${what}: no responders`, opts);
    case ErrorCode.Timeout: return new TimeoutError(`${what}: timed out`, opts);
    case ErrorCode.MaxPayloadExceeded: return new PayloadTooLargeError(`${what}: ${msg}`, opts);
    case ErrorCode.ConnectionClosed:
    case ErrorCode.ConnectionDraining:
    case ErrorCode.SubClosed:
      return new ClosedError(`${what}: connection closed`, opts);
    case ErrorCode.Cancelled: return new CancelledError(`${what}: cancelled`, opts);
    case ErrorCode.BadSubject:
    case ErrorCode.InvalidOption:
    case ErrorCode.BadCreds:
    case ErrorCode.BadAuthentication:
    case ErrorCode.AuthorizationViolation:
      return new ConfigError(`${what}: ${msg}`, opts);
    default: return new TransportError(`${what}: ${msg}`, opts);
  }
}
