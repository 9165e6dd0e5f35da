export { IndexReader, type IndexReaderOptions } from './reader.js';
export { IndexWriter, writeIndex, symbolsOf, type SeriesInput } from './writer.js';
export { postingsForMatchers, type PostingsSource } from './matchers.js';
export { labelValuesFor, labelNamesFor, type LabelQuerySource } from './label-queries.js';
export { type Postings, EMPTY_POSTINGS, mergePostings, merge2, intersectPostings, intersect2, subtractPostings, decodePostings } from './postings.js';
export type { ChunkMeta, SeriesEntry } from './series.js';
export type { IndexToc } from './toc.js';
export { CorruptIndexError, IndexWriteError } from './errors.js';
export { INDEX_MAGIC, INDEX_VERSION, INDEX_TOC_LEN, SERIES_ALIGNMENT } from './format.js';
