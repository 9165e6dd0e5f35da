import { corrupt } from '../bytes/errors.js';

/**
 * Chunk segment files `chunks/000001…` of a TSDB block (Prometheus 2.42 tsdb/chunks/chunks.go):
 *   header: magic BE32 0x85BD40DD | version u8 = 1 | 3 zero bytes
 *   chunks back to back: len uvarint (data bytes) | encoding u8 | data | CRC32C BE32 over encoding+data
 */
export const SEGMENT_MAGIC = 0x85bd40dd;
export const SEGMENT_VERSION = 1;
export const SEGMENT_HEADER_SIZE = 8;
/** Prometheus's default segment size (512 MiB); a segment may exceed it only by one huge first chunk. */
export const DEFAULT_SEGMENT_SIZE = 512 * 1024 * 1024;
/** Bytes reserved for the length field (binary.MaxVarintLen32); readers require this many after a chunk start. */
export const MAX_LEN_FIELD = 5;
/** Bytes a chunk record takes besides its data, as the writer budgets it (5 + 1 + 4). */
export const RECORD_OVERHEAD = MAX_LEN_FIELD + 1 + 4;

const TWO32 = 0x1_0000_0000;
/** Largest segment index whose refs stay exact as JS numbers (ref < 2^53). */
export const MAX_SEGMENT_INDEX = 0x1f_ffff;

/**
 * A block chunk reference: `segmentIndex << 32 | offset`, where segmentIndex is the 0-based position
 * of the segment file in the sorted list (000001 ↔ 0) and offset is the byte offset of the chunk's
 * length field. Represented as a plain number `segment * 2^32 + offset`, exact because segment indexes
 * are limited to 2^21−1 (2 million segments of 512 MiB = 1 PiB per block); refs ≥ 2^53 are rejected.
 */
export type ChunkRef = number;

export function chunkRef(segment: number, offset: number): ChunkRef {
  if (!Number.isInteger(segment) || segment < 0 || segment > MAX_SEGMENT_INDEX) throw new RangeError(`chunk segment index out of range: ${segment}`);
  if (!Number.isInteger(offset) || offset < 0 || offset >= TWO32) throw new RangeError(`chunk offset out of range: ${offset}`);
  return segment * TWO32 + offset;
}

export function refSegment(ref: ChunkRef): number { return Math.floor(ref / TWO32); }
export function refOffset(ref: ChunkRef): number { return ref % TWO32; }

/** Converts a 64-bit ref read as bigint (e.g. from an index) into a ChunkRef, or throws CorruptError. */
export function refFromBig(ref: bigint, file: string, offset: number): ChunkRef {
  if (ref < 0n || ref > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(file, offset, `chunk ref ${ref} beyond supported range`);
  return Number(ref);
}

/** `000001` for index 0: segment file name of a 0-based segment index. */
export function segmentFileName(index: number): string {
  return String(index + 1).padStart(6, '0');
}

/** One chunk as stored: its encoding byte and its data bytes (a view; do not modify). */
export interface StoredChunk {
  readonly encoding: number;
  readonly data: Uint8Array;
}
