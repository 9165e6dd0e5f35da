import { defineDomainError } from '../errors/domain-error.js';

/** A marker file (deletion, no-compact, no-downsample) is unreadable JSON or has a bad field/version. */
export const BadMarkerError = defineDomainError('BLOCK_BAD_MARKER', false, 'BadMarkerError');
/** A block cannot be uploaded: bad local directory, missing external labels, or the bucket holds different sizes than sent. */
export const BlockUploadError = defineDomainError('BLOCK_UPLOAD', true, 'BlockUploadError');
/** A local block directory is not a valid block (missing index/chunks/meta.json, id mismatch). */
export const BadBlockDirError = defineDomainError('BLOCK_BAD_DIR', false, 'BadBlockDirError');
/** A `--min-time`/`--max-time` value is neither RFC3339 nor a (relative) Prometheus duration. */
export const BadTimeFlagError = defineDomainError('BLOCK_BAD_TIME', false, 'BadTimeFlagError');
