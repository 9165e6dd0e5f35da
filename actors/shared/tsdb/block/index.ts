export { writeBlock, TMP_BLOCK_SUFFIX, type BlockSeriesInput, type WriteBlockOptions } from './writer.js';
export { BlockReader, type BlockSources, type SelectedSeries, type SelectedChunk, type SeriesSamples } from './reader.js';
export { openBlocks, selectMerged, dumpSamples, formatDumpLabels, type MergedSeries, type DumpOptions } from './dump.js';
export { createBlocksFromOpenMetrics, BACKFILL_BLOCK_DURATION_MS, DEFAULT_MAX_BUFFERED_SAMPLES, type BackfillOptions } from './backfill.js';
export { parseSeriesSelector, DEFAULT_SELECTOR } from './selector.js';
export { emptyTombstones, TOMBSTONES_FILENAME, TOMBSTONES_MAGIC } from './tombstones.js';
export { BlockError, BlockWriteError, BadSelectorError } from './errors.js';
export { goQuote } from '../../labels/go-quote.js';
