import type { Readable } from 'node:stream';

/** Operation names, exactly Thanos's (`operation` label of the objstore metrics). */
export const OPS = ['iter', 'get', 'get_range', 'exists', 'upload', 'delete', 'attributes'] as const;
export type OpName = (typeof OPS)[number];

/** Provider types of the objstore YAML `type:` field that athanor implements. */
export type ProviderType = 'S3' | 'FILESYSTEM' | 'MEMORY';

/**
 * Options every operation takes. `signal` aborts the operation (it then rejects with `CancelledError`,
 * code RT_CANCELLED); `timeoutMs` bounds it (it then rejects with `TimeoutError`, RT_TIMEOUT,
 * retryable). For `get` the timeout bounds opening the object; the signal also ends the stream.
 */
export interface OpOptions {
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface IterOptions extends OpOptions {
  /** List every object below `dir` (no directory entries) instead of one level. */
  readonly recursive?: boolean | undefined;
}

export interface ObjectAttributes {
  /** Size in bytes. */
  readonly size: number;
  readonly lastModified: Date;
}

/** What `upload` accepts: bytes, a stream (consumed once), or a local file (re-readable, so retryable). */
export type UploadBody = Uint8Array | Readable | { readonly filePath: string };

/**
 * Read access to a bucket. Object names are `/`-separated relative paths (`<ulid>/chunks/000001`);
 * a name is valid when it is non-empty, has no NUL, no leading or trailing `/`, and no empty, `.` or
 * `..` segment — anything else is refused with `InvalidObjectNameError` on every provider.
 * Every method rejects with `ObjectNotFoundError` (OBJSTORE_NOT_FOUND) where it says so and with
 * `ObjstoreError` (OBJSTORE_OPERATION, `retryable` set per cause) for other failures.
 */
export interface BucketReader {
  /**
   * Yields the entries directly below `dir` (`''` = root; `'a'` and `'a/'` are the same) with their
   * full names, in UTF-8 byte order. Sub-directories end with `/`; directories with no objects below
   * them are never listed. With `recursive`, yields every object below `dir` and no directories.
   * A missing `dir` yields nothing. Pages of the backend are fetched lazily.
   */
  iter(dir: string, o?: IterOptions): AsyncIterable<string>;
  /** Opens the object for reading. ObjectNotFoundError if absent (before the stream is returned). */
  get(name: string, o?: OpOptions): Promise<Readable>;
  /**
   * Reads `length` bytes from `offset`. `offset` must be a safe integer ≥ 0 and `length` ≥ 1, else
   * InvalidRangeError. If the range runs past the end the result is short (ends at the object's end),
   * as in Thanos; an `offset` at or past the end is InvalidRangeError. ObjectNotFoundError if absent.
   */
  getRange(name: string, offset: number, length: number, o?: OpOptions): Promise<Uint8Array>;
  /** True when the object exists (a directory is not an object). */
  exists(name: string, o?: OpOptions): Promise<boolean>;
  /** Size and last-modified time. ObjectNotFoundError if absent. */
  attributes(name: string, o?: OpOptions): Promise<ObjectAttributes>;
}

/** Read-write access to a bucket. Strong read-after-write consistency is assumed, as in Thanos. */
export interface Bucket extends BucketReader {
  /** A name for logs and the `bucket` metrics label (S3: the bucket name; FILESYSTEM: the directory). */
  readonly name: string;
  readonly provider: ProviderType;
  /**
   * Writes the object, replacing any previous content. Idempotent: uploading the same bytes again
   * leaves the same object. Readers never see a partly written object.
   */
  upload(name: string, body: UploadBody, o?: OpOptions): Promise<void>;
  /** Removes the object. ObjectNotFoundError if it does not exist (Thanos's Delete contract). */
  delete(name: string, o?: OpOptions): Promise<void>;
  /** Releases clients and sockets. Idempotent. */
  close(): Promise<void>;
}
