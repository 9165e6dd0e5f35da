export {
  SEGMENT_MAGIC, SEGMENT_VERSION, SEGMENT_HEADER_SIZE, DEFAULT_SEGMENT_SIZE, MAX_LEN_FIELD, RECORD_OVERHEAD, MAX_SEGMENT_INDEX,
  type ChunkRef, chunkRef, refSegment, refOffset, refFromBig, segmentFileName, type StoredChunk,
} from './format.js';
export { writeChunkRecord, writeSegmentHeader, checkSegmentHeader, parseChunkRecord, scanSegment, type ChunkRecord } from './record.js';
export { ChunkSegmentReader } from './segment-reader.js';
export { ChunkSegmentWriter, type ChunkSegmentWriterOptions } from './segment-writer.js';
