import { defineDomainError } from '../errors/domain-error.js';

/**
 * The object does not exist. Never retryable. `data.name` is the object name as the caller passed it
 * (before any `prefix:`). Thanos's `IsObjNotFoundErr` is `isObjectNotFound` here.
 */
export const ObjectNotFoundError = defineDomainError('OBJSTORE_NOT_FOUND', false, 'ObjectNotFoundError');
export type ObjectNotFoundError = InstanceType<typeof ObjectNotFoundError>;

/**
 * An operation against the object store failed. `retryable` is decided per cause: 5xx, throttling,
 * connection resets and timeouts are retryable; 4xx (other than 408/429) and local I/O errors are not.
 * `data` carries `{ op, name }` and, for S3, `{ status, awsCode }`.
 */
export const ObjstoreError = defineDomainError('OBJSTORE_OPERATION', false, 'ObjstoreError');
export type ObjstoreError = InstanceType<typeof ObjstoreError>;

/** An object name is empty, absolute, contains NUL, `.`/`..` or empty segments, or escapes the root. */
export const InvalidObjectNameError = defineDomainError('OBJSTORE_INVALID_NAME', false, 'InvalidObjectNameError');
export type InvalidObjectNameError = InstanceType<typeof InvalidObjectNameError>;

/** getRange was called with a bad offset/length, or an offset at or past the end of the object. */
export const InvalidRangeError = defineDomainError('OBJSTORE_INVALID_RANGE', false, 'InvalidRangeError');
export type InvalidRangeError = InstanceType<typeof InvalidRangeError>;

/** The objstore or caching-bucket configuration is invalid: unknown type or field, bad value. */
export const ObjstoreConfigError = defineDomainError('OBJSTORE_BAD_CONFIG', false, 'ObjstoreConfigError');
export type ObjstoreConfigError = InstanceType<typeof ObjstoreConfigError>;

/** True when `e` means "the object is not there" (also after a wire trip). */
export function isObjectNotFound(e: unknown): e is ObjectNotFoundError {
  return e instanceof ObjectNotFoundError;
}

/** Builds the not-found error for `op` on `name`. */
export function notFound(op: string, name: string): ObjectNotFoundError {
  return new ObjectNotFoundError(`${op} ${JSON.stringify(name)}: object not found`, { data: { op, name } });
}
