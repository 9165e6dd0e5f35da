import { CodedError, errorNameFromCode, registerWireError, type CodedErrorOptions, type WireError } from '../../../runtime/errors/coded-error.js';

/** Base of every error of the metrics domain (tsdb, objstore, promql, storeapi, components). */
export abstract class DomainError extends CodedError {}

/**
 * Defines a domain error class with a fixed stable code and default retryability, registered so it
 * is rebuilt as the same class after a wire trip. Use from each concept's `errors.ts`:
 *   export const CorruptIndexError = defineDomainError('TSDB_CORRUPT_INDEX', false);
 */
export function defineDomainError(code: string, retryable: boolean, name?: string) {
  const Cls = class extends DomainError {
    readonly code = code;
    constructor(message: string, options: CodedErrorOptions = {}) { super(message, options, retryable); }
  };
  Object.defineProperty(Cls, 'name', { value: name ?? errorNameFromCode(code) });
  registerWireError(code, (w: WireError) => new Cls(w.message, { data: w.data, retryable: w.retryable }));
  return Cls;
}

