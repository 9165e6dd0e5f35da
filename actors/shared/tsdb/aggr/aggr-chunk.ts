import { ByteReader } from '../bytes/reader.js';
import { ByteWriter } from '../bytes/writer.js';
import { corrupt } from '../bytes/errors.js';
import type { StoredChunk } from '../chunks/format.js';
import type { ChunkLocation } from '../chunkenc/xor-decoder.js';
import { xorNumSamples } from '../chunkenc/xor-decoder.js';
import { Encoding } from '../chunkenc/encoding.js';

/**
 * Thanos's downsampled AggrChunk (pkg/compact/downsample/aggr.go), stored in chunk segments with
 * encoding byte 0xFF. The payload is five sub-chunks in fixed order COUNT, SUM, MIN, MAX, COUNTER;
 * each is `uvarint L` followed, when L > 0, by one encoding byte and L data bytes (L counts the data
 * only). L = 0 marks an absent aggregate (no encoding byte). For float series all five are XOR chunks.
 */
export const AggrType = { COUNT: 0, SUM: 1, MIN: 2, MAX: 3, COUNTER: 4 } as const;
export type AggrType = (typeof AggrType)[keyof typeof AggrType];
export const AGGR_NAMES = ['count', 'sum', 'min', 'max', 'counter'] as const;

/** The five parts in AggrType order; `undefined` = aggregate absent. */
export type AggrParts = readonly [StoredChunk | undefined, StoredChunk | undefined, StoredChunk | undefined, StoredChunk | undefined, StoredChunk | undefined];

/** Encodes the five parts exactly as Thanos's `EncodeAggrChunk`. Empty data is written as absent. */
export function encodeAggrChunk(parts: readonly (StoredChunk | undefined)[]): Uint8Array {
  if (parts.length !== 5) throw new RangeError(`aggr chunk needs 5 parts, got ${parts.length}`);
  const w = new ByteWriter(64 + parts.reduce((a, p) => a + (p?.data.length ?? 0), 0));
  for (const p of parts) {
    if (p === undefined || p.data.length === 0) { w.uvarint(0); continue; }
    w.uvarint(p.data.length);
    w.u8(p.encoding);
    w.bytes(p.data);
  }
  return w.finish();
}

/**
 * Decodes all five parts (views into `data`). Throws CorruptError (file/offset from `where`) when a
 * length runs past the end. Unlike Thanos's `Get`, an absent last aggregate whose 0 length is the
 * final byte is accepted (Thanos requires one more byte even for L = 0). Trailing bytes are ignored,
 * as Thanos ignores them.
 */
export function decodeAggrChunk(data: Uint8Array, where?: ChunkLocation): AggrParts {
  const r = new ByteReader(data, where?.file ?? '<aggr chunk>', where?.offset ?? 0);
  const out: (StoredChunk | undefined)[] = [];
  for (let i = 0; i < 5; i++) {
    const at = r.pos;
    const len = r.uvarint();
    if (len === 0) { out.push(undefined); continue; }
    if (r.remaining < len + 1) throw r.error(`aggr ${AGGR_NAMES[i]} sub-chunk length ${len} runs past end`, at);
    const encoding = r.u8();
    out.push({ encoding, data: r.bytes(len) });
  }
  return out as unknown as AggrParts;
}

/** One aggregate's sub-chunk, or undefined when absent. */
export function getAggr(data: Uint8Array, type: AggrType, where?: ChunkLocation): StoredChunk | undefined {
  if (!(type >= 0 && type <= 4)) throw new RangeError(`unknown aggregate type ${String(type)}`);
  return decodeAggrChunk(data, where)[type];
}

/** Sample count of an AggrChunk: that of its COUNT sub-chunk (0 when absent), as Thanos reports it. */
export function aggrNumSamples(data: Uint8Array, where?: ChunkLocation): number {
  const c = getAggr(data, AggrType.COUNT, where);
  if (c === undefined) return 0;
  if (c.encoding !== Encoding.XOR) throw corrupt(where?.file ?? '<aggr chunk>', where?.offset ?? 0, `aggr count sub-chunk has encoding ${c.encoding}, want XOR`);
  return xorNumSamples(c.data, where);
}
