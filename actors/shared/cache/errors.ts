import type { CodedErrorOptions } from '../../../runtime/errors/coded-error.js';
import { defineDomainError } from '../errors/domain-error.js';

/** A cache configuration (index cache, caching bucket backend) is invalid: unknown type or field, bad value. */
export const CacheConfigError = defineDomainError('CACHE_BAD_CONFIG', false, 'CacheConfigError');
export type CacheConfigError = InstanceType<typeof CacheConfigError>;

/** Builds a CacheConfigError (the error factory of every cache config reader). */
export const cacheConfigError = (message: string, options: CodedErrorOptions): CacheConfigError => new CacheConfigError(message, options);

/**
 * A key handed to a remote cache is not one its protocol can carry (empty, longer than 250 bytes,
 * or with spaces/control characters). A programming error of the caller: callers hash their keys.
 */
export const CacheKeyError = defineDomainError('CACHE_BAD_KEY', false, 'CacheKeyError');
export type CacheKeyError = InstanceType<typeof CacheKeyError>;

/**
 * A remote cache operation failed (connect, timeout, protocol error, server error). Never reaches a
 * query: fetches count failures as misses and writes are dropped; it is logged and counted.
 * `data` carries `{ backend, op, address }`.
 */
export const CacheBackendError = defineDomainError('CACHE_BACKEND', true, 'CacheBackendError');
export type CacheBackendError = InstanceType<typeof CacheBackendError>;
