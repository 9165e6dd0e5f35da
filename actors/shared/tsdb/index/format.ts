/** Constants of the Prometheus TSDB index file, format v2 (tsdb/docs/format/index.md). */
export const INDEX_MAGIC = 0xbaaad700;
/** The only version written and read here (Prometheus 2.42 writes 2; v1 used byte-offset symbol refs). */
export const INDEX_VERSION = 2;
/** Magic (4) + version (1). */
export const INDEX_HEADER_LEN = 5;
/** Six BE64 section offsets + CRC32C. */
export const INDEX_TOC_LEN = 6 * 8 + 4;
/** Series entries start at multiples of this; a series ref is its offset divided by it. */
export const SERIES_ALIGNMENT = 16;
/** The postings key holding every series. */
export const ALL_POSTINGS_NAME = '';
export const ALL_POSTINGS_VALUE = '';
