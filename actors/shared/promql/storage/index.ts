export type { SeriesData, SelectHints, Queryable, MetadataQueryable } from './queryable.js';
export { MemoryStorage } from './memory-storage.js';
export { STALE_NAN, isStaleNaN } from './stale.js';
export { BlockQueryable } from './block-queryable.js';
