import { defineDomainError } from '../../errors/domain-error.js';

/**
 * A block directory cannot be used as a block: a required file (index, chunks/) is missing or is
 * not a regular file, or the block's parts disagree. `data.file` names the path. Corruption inside
 * a file is reported by the part that reads it (CorruptIndexError, CorruptError, MetaError).
 */
export const BlockError = defineDomainError('TSDB_BLOCK', false, 'BlockError');
export type BlockError = InstanceType<typeof BlockError>;

/** The block writer was given input it cannot write (no samples, duplicate series, unordered samples). */
export const BlockWriteError = defineDomainError('TSDB_BLOCK_WRITE', false, 'BlockWriteError');
export type BlockWriteError = InstanceType<typeof BlockWriteError>;

/** A series selector (`--match`) that cannot be parsed; `data.position` is the 0-based offset. */
export const BadSelectorError = defineDomainError('TSDB_BAD_SELECTOR', false, 'BadSelectorError');
export type BadSelectorError = InstanceType<typeof BadSelectorError>;
