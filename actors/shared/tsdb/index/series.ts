import type { ByteReader } from '../bytes/reader.js';
import type { ByteWriter } from '../bytes/writer.js';
import type { Label, Labels } from '../../labels/labels.js';
import { corruptIndex } from './errors.js';

/**
 * Where one chunk of a series lives and what it covers. `mint`/`maxt` are the first and last
 * sample times (ms, closed interval). `ref` is `segmentIndex * 2^32 + byteOffset` as a number
 * (exact: segment indexes stay far below 2^21).
 */
export interface ChunkMeta {
  readonly mint: number;
  readonly maxt: number;
  readonly ref: number;
}

/** A decoded series entry. */
export interface SeriesEntry {
  readonly labels: Labels;
  readonly chunks: ChunkMeta[];
}

const TWO63 = 2n ** 63n;

/** Reads a uvarint64 that Go wrote as `uint64(int64 difference)`, returning the signed difference. */
function wrappedDelta(r: ByteReader): number {
  const b = r.buf;
  let p = r.pos;
  const stop = Math.min(b.length, p + 7);
  while (p < stop && b[p]! >= 0x80) p++;
  if (p < stop) return r.uvarint();
  const at = r.pos;
  const u = r.uvarintBig();
  const v = u >= TWO63 ? u - 2n * TWO63 : u;
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw corruptIndex(r.file, r.base + at, 'reading series: delta beyond 2^53');
  return Number(v);
}

function safe(r: ByteReader, v: number, what: string): number {
  if (!Number.isSafeInteger(v)) throw corruptIndex(r.file, r.offset, `reading series: ${what} beyond 2^53`);
  return v;
}

/**
 * Decodes a series entry's content (between the uvarint length and the CRC). Label refs are
 * checked against the symbol table; counts are checked against the remaining bytes before
 * allocating; the content must be consumed exactly.
 */
export function decodeSeries(r: ByteReader, symbols: readonly string[]): SeriesEntry {
  const n = r.uvarint();
  if (n * 2 > r.remaining) throw corruptIndex(r.file, r.offset, `reading series: ${n} labels do not fit ${r.remaining} bytes`);
  const labels: Label[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const at = r.offset;
    const nameRef = r.uvarint(), valueRef = r.uvarint();
    const name = symbols[nameRef], value = symbols[valueRef];
    if (name === undefined || value === undefined) throw corruptIndex(r.file, at, `reading series: symbol ref ${name === undefined ? nameRef : valueRef} out of range`);
    labels[i] = { name, value };
  }
  const k = r.uvarint();
  if (k * 3 > r.remaining) throw corruptIndex(r.file, r.offset, `reading series: ${k} chunks do not fit ${r.remaining} bytes`);
  const chunks: ChunkMeta[] = new Array(k);
  if (k > 0) {
    let mint = r.varint();
    let maxt = safe(r, mint + wrappedDelta(r), 'maxt');
    let ref = r.uvarint();
    chunks[0] = { mint, maxt, ref };
    for (let i = 1; i < k; i++) {
      mint = safe(r, maxt + wrappedDelta(r), 'mint');
      maxt = safe(r, mint + wrappedDelta(r), 'maxt');
      ref = r.varint() + ref;
      if (ref < 0 || !Number.isSafeInteger(ref)) throw corruptIndex(r.file, r.offset, `reading series: chunk ref ${ref} out of range`);
      chunks[i] = { mint, maxt, ref };
    }
  }
  if (r.remaining !== 0) throw corruptIndex(r.file, r.offset, `reading series: ${r.remaining} trailing bytes`);
  return { labels, chunks };
}

/** Writes a uint64 two's-complement difference as Go's `PutUvarint64(uint64(d))`. */
function putWrapped(w: ByteWriter, d: number): void {
  if (d >= 0) w.uvarint(d); else w.uvarintBig(BigInt(d));
}

/** Encodes series content exactly as Prometheus's writer (label refs, then chunk metas by deltas). */
export function encodeSeriesContent(w: ByteWriter, labelRefs: ArrayLike<number>, chunks: readonly ChunkMeta[]): void {
  w.uvarint(labelRefs.length / 2);
  for (let i = 0; i < labelRefs.length; i++) w.uvarint(labelRefs[i]!);
  w.uvarint(chunks.length);
  if (chunks.length === 0) return;
  const c0 = chunks[0]!;
  w.varint(c0.mint);
  putWrapped(w, c0.maxt - c0.mint);
  w.uvarint(c0.ref);
  let t0 = c0.maxt, ref0 = c0.ref;
  for (let i = 1; i < chunks.length; i++) {
    const c = chunks[i]!;
    putWrapped(w, c.mint - t0);
    putWrapped(w, c.maxt - c.mint);
    t0 = c.maxt;
    w.varint(c.ref - ref0);
    ref0 = c.ref;
  }
}
