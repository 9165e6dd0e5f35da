import { defineDomainError } from '../../errors/domain-error.js';

/**
 * A meta.json that cannot be used: not JSON, a field missing or of the wrong type, an invalid ULID,
 * an unsupported version. `data.field` names the offending JSON path (e.g. `compaction.sources[2]`),
 * `data.file` the file when one was read. Never retryable: the bytes will not change.
 */
export const MetaError = defineDomainError('TSDB_BAD_META', false, 'MetaError');
