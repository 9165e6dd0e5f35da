export type { BlockMeta, BlockStats, BlockCompaction, BlockDesc, ThanosMeta, ThanosFile, ThanosIndexStats, ThanosSource } from './types.js';
export { encodeMeta, metaToGoValue, GO_ZERO_TIME } from './encode.js';
export { parseMeta, validateMeta } from './decode.js';
export { readMetaFile, writeMetaFile, META_FILENAME } from './files.js';
export { MetaError } from './errors.js';
