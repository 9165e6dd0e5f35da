import { InvalidRangeError, ObjstoreError, notFound } from './errors.js';

const NOT_FOUND_CODES = new Set(['NoSuchKey', 'NotFound']);
const THROTTLE_CODES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequests', 'RequestThrottled']);
const TRANSIENT_CODES = new Set(['InternalError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeTooSkewed', 'TimeoutError', 'RequestTimeoutException']);
const NET_ERRNO = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET']);

interface SdkErrorShape {
  name?: unknown; code?: unknown; Code?: unknown; message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
}

/** HTTP status and AWS error code of an SDK error, when present. */
export function sdkErrorInfo(e: unknown): { status: number | undefined; awsCode: string | undefined; errno: string | undefined } {
  const o = (typeof e === 'object' && e !== null ? e : {}) as SdkErrorShape;
  const status = typeof o.$metadata?.httpStatusCode === 'number' ? o.$metadata.httpStatusCode : undefined;
  const awsCode = typeof o.Code === 'string' ? o.Code : typeof o.name === 'string' && o.name !== 'Error' ? o.name : undefined;
  const errno = typeof o.code === 'string' ? o.code : undefined;
  return { status, awsCode, errno };
}

/** True for failures worth retrying: 5xx, 408, 429, throttling, connection resets and timeouts. */
export function isRetryableS3(e: unknown): boolean {
  const { status, awsCode, errno } = sdkErrorInfo(e);
  if (awsCode !== undefined && (THROTTLE_CODES.has(awsCode) || TRANSIENT_CODES.has(awsCode))) return true;
  if (status !== undefined) return status >= 500 || status === 408 || status === 429;
  if (errno !== undefined && NET_ERRNO.has(errno)) return true;
  const msg = e instanceof Error ? e.message : '';
  return /socket hang up|ECONNRESET|premature close|aborted/i.test(msg);
}

/** Maps an SDK error of `op` on `name` to ObjectNotFoundError, InvalidRangeError or ObjstoreError. */
export function s3Error(op: string, name: string, e: unknown): Error {
  const { status, awsCode, errno } = sdkErrorInfo(e);
  if ((awsCode !== undefined && NOT_FOUND_CODES.has(awsCode)) || (status === 404 && awsCode !== 'NoSuchBucket')) return notFound(op, name);
  if (awsCode === 'InvalidRange' || status === 416) {
    return new InvalidRangeError(`${op} ${JSON.stringify(name)}: range not satisfiable (offset at or past the object's end)`, { cause: e, data: { op, name } });
  }
  const msg = e instanceof Error ? e.message : String(e);
  const detail = [status !== undefined ? `status ${status}` : '', awsCode ?? '', errno ?? ''].filter((x) => x !== '').join(' ');
  return new ObjstoreError(`${op} ${JSON.stringify(name)}: ${msg}${detail !== '' ? ` (${detail})` : ''}`, {
    cause: e, retryable: isRetryableS3(e), data: { op, name, status, awsCode, errno },
  });
}
