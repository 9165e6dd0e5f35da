import { defineDomainError } from '../../errors/domain-error.js';
import { CorruptError } from '../bytes/errors.js';

/**
 * An index file whose bytes break the v2 format: truncated, wrong magic/version, CRC mismatch,
 * a length or offset past the end, an absurd count, invalid UTF-8, unsorted symbols or postings.
 * `data` is `{ file, offset }` (absolute byte offset of the problem, -1 when unknown).
 */
export const CorruptIndexError = defineDomainError('TSDB_CORRUPT_INDEX', false, 'CorruptIndexError');
export type CorruptIndexError = InstanceType<typeof CorruptIndexError>;

/** The writer was given input Prometheus's writer rejects (unsorted series/symbols, unknown symbol). */
export const IndexWriteError = defineDomainError('TSDB_INDEX_WRITE', false, 'IndexWriteError');
export type IndexWriteError = InstanceType<typeof IndexWriteError>;

export function corruptIndex(file: string, offset: number, what: string): CorruptIndexError {
  return new CorruptIndexError(`${what} (file ${file}, offset ${offset})`, { data: { file, offset } });
}

/** Re-types the byte layer's CorruptError as CorruptIndexError (same message and data); others pass. */
export function asIndexError(e: unknown): unknown {
  if (e instanceof CorruptError) {
    const data = e.data ?? {};
    return new CorruptIndexError(e.message, { cause: e, data: { file: data.file ?? '', offset: data.offset ?? -1 } });
  }
  return e;
}

/** Runs `fn`, converting byte-layer corruption into CorruptIndexError. */
export async function guardIndex<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (e) { throw asIndexError(e); }
}
