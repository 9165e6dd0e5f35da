export { Encoding, encodingName } from './encoding.js';
export {
  STALE_NAN, STALE_NAN_HI, STALE_NAN_LO, GO_NAN_HI, GO_NAN_LO, HI, LO, isStaleNaN, bitsToFloat, floatToBits, bitView,
} from './float-bits.js';
export { BitWriter } from './bit-writer.js';
export { XorEncoder, encodeXor, MAX_SAMPLES_PER_CHUNK } from './xor-encoder.js';
export { decodeXor, decodeXorInto, decodeXorPartial, xorNumSamples, type ChunkLocation, type PartialDecode } from './xor-decoder.js';
export { XorIterator } from './xor-iterator.js';
export { HeadChunkCutter, chunkStarts, SAMPLES_PER_CHUNK, DEFAULT_CHUNK_RANGE_MS, PROMTOOL_CHUNK_RANGE_MS } from './chunk-cutter.js';
export { encodeSeriesChunks, type EncodedChunk } from './series-chunks.js';
