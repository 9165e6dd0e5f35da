import { defineDomainError } from '../../errors/domain-error.js';

/** `tools bucket verify` found at least one issue (the issues themselves are printed per block). */
export const VerifyIssuesError = defineDomainError('BUCKET_VERIFY_ISSUES', false, 'VerifyIssuesError');
/** A bucket tool was pointed at a block that has no object in the bucket. */
export const BlockNotFoundError = defineDomainError('BUCKET_BLOCK_NOT_FOUND', false, 'BlockNotFoundError');
/** `tools bucket upload-blocks` failed on one block of the data directory (names the block and the cause). */
export const UploadBlocksError = defineDomainError('BUCKET_UPLOAD_BLOCKS', true, 'UploadBlocksError');
