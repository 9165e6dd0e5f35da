import { defineDomainError } from '../../errors/domain-error.js';

/**
 * Bytes of a TSDB file (index, chunk segment, meta, tombstones, AggrChunk…) are not what the format
 * requires: truncated, a length pointing past the end, a bad magic/version, a CRC mismatch, an
 * absurd count, invalid UTF-8. Never retryable: the same bytes fail the same way.
 * `data` always carries `{ file, offset }` (absolute byte offset in that file, or -1 if unknown).
 */
export const CorruptError = defineDomainError('TSDB_CORRUPT', false, 'CorruptError');
export type CorruptError = InstanceType<typeof CorruptError>;

/** Builds a CorruptError whose message ends with the file and offset, e.g. `… (file x, offset 12)`. */
export function corrupt(file: string, offset: number, what: string, extra?: Record<string, unknown>): CorruptError {
  return new CorruptError(`${what} (file ${file}, offset ${offset})`, { data: { file, offset, ...extra } });
}

/** True when `e` is a CorruptError (also after a wire trip, which rebuilds the same class). */
export function isCorruptError(e: unknown): e is CorruptError {
  return e instanceof CorruptError;
}
