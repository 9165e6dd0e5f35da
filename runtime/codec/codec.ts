import { Packr } from 'msgpackr';
import { DecodeError } from '../errors/runtime-errors.js';

/**
 * The runtime codec: MessagePack (msgpackr) with `moreTypes`, so typed arrays (Float64Array,
 * BigInt64Array, Uint8Array…) come back as the same class. Records/structures are off, so every
 * encoded message is self-describing and decodable by any peer. Maps decode as plain objects;
 * integers beyond 2^53 decode as bigint.
 */
const packr = new Packr({ moreTypes: true, useRecords: false });

/** Encodes plain data. The result may view a shared buffer; copy it before mutating. */
export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

/**
 * Decodes one complete message. Truncated, trailing or malformed bytes throw DecodeError naming
 * `what` (e.g. `reply on athanor.rpc.store.series`).
 */
export function decode(bytes: Uint8Array, what: string): unknown {
  try {
    return packr.unpack(bytes);
  } catch (err) {
    throw new DecodeError(`decoding ${what}: ${(err as Error).message}`, { cause: err, data: { what, bytes: bytes.length } });
  }
}

/** Decodes a concatenation of complete messages (e.g. a stream data frame holding a batch). */
export function decodeMultiple(bytes: Uint8Array, what: string): unknown[] {
  try {
    return packr.unpackMultiple(bytes) as unknown[];
  } catch (err) {
    throw new DecodeError(`decoding ${what}: ${(err as Error).message}`, { cause: err, data: { what, bytes: bytes.length } });
  }
}
