import { createHash } from 'node:crypto';
import { ByteReader } from '../shared/tsdb/bytes/reader.js';
import { ByteWriter } from '../shared/tsdb/bytes/writer.js';
import type { Postings } from '../shared/tsdb/index/postings.js';
import type { ChunkMeta, SeriesEntry } from '../shared/tsdb/index/series.js';

/**
 * Byte forms of index-cache items kept in a shared cache (memcached, redis). Every value starts with
 * a format byte, so a later athanor that changes a form reads an old value as a miss, never as data;
 * keys carry the same version. Decoding validates every length and order (a value written by
 * something else, or cut short, is a CorruptError the caller counts as a miss).
 *
 * - postings `1 | uvarint count | count × uvarint delta` (refs strictly increase; first delta from 0),
 *   about 1–2 bytes per ref instead of 4;
 * - series `2 | uvarint nLabels | (uvarintString name, uvarintString value)… | uvarint nChunks |
 *   (varint mint, uvarint maxt-mint, uvarint ref)…`.
 */
const POSTINGS_V1 = 1;
const SERIES_V1 = 2;

/** Cache key of the postings of `name=value` in `block`; the label pair is hashed (any bytes, any length). */
export function postingsKey(block: string, name: string, value: string): string {
  const h = createHash('sha256').update(name).update('\xff').update(value).digest('base64url');
  return `P1:${block}:${h}`;
}

/** Cache key of the series entry `ref` of `block`. */
export function seriesKey(block: string, ref: number): string { return `S1:${block}:${ref}`; }

export function encodePostings(p: Postings): Uint8Array {
  const w = new ByteWriter(8 + p.length * 2);
  w.u8(POSTINGS_V1);
  w.uvarint(p.length);
  let prev = 0;
  for (let i = 0; i < p.length; i++) { w.uvarint(p[i]! - prev); prev = p[i]!; }
  return w.copy();
}

export function decodePostings(b: Uint8Array, what: string): Postings {
  const r = new ByteReader(b, what);
  if (r.u8() !== POSTINGS_V1) throw r.error('not a postings value of format 1', 0);
  const n = r.uvarint();
  if (n > r.remaining) throw r.error(`postings count ${n} exceeds the ${r.remaining} bytes left`);
  const out = new Uint32Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const d = r.uvarint();
    if (i > 0 && d === 0) throw r.error('postings refs must strictly increase');
    prev += d;
    if (prev > 0xffffffff) throw r.error('postings ref exceeds 32 bits');
    out[i] = prev;
  }
  if (r.remaining !== 0) throw r.error(`${r.remaining} trailing bytes after postings`);
  return out;
}

export function encodeSeries(e: SeriesEntry): Uint8Array {
  const w = new ByteWriter(64 + e.labels.length * 32 + e.chunks.length * 8);
  w.u8(SERIES_V1);
  w.uvarint(e.labels.length);
  for (const l of e.labels) { w.uvarintString(l.name); w.uvarintString(l.value); }
  w.uvarint(e.chunks.length);
  for (const c of e.chunks) { w.varint(c.mint); w.uvarint(c.maxt - c.mint); w.uvarint(c.ref); }
  return w.copy();
}

export function decodeSeries(b: Uint8Array, what: string): SeriesEntry {
  const r = new ByteReader(b, what);
  if (r.u8() !== SERIES_V1) throw r.error('not a series value of format 2', 0);
  const nl = r.uvarint();
  if (nl * 2 > r.remaining) throw r.error(`label count ${nl} exceeds the bytes left`);
  const labels = new Array<{ name: string; value: string }>(nl);
  for (let i = 0; i < nl; i++) labels[i] = { name: r.uvarintString(), value: r.uvarintString() };
  const nc = r.uvarint();
  if (nc * 3 > r.remaining) throw r.error(`chunk count ${nc} exceeds the bytes left`);
  const chunks = new Array<ChunkMeta>(nc);
  for (let i = 0; i < nc; i++) {
    const mint = r.varint();
    chunks[i] = { mint, maxt: mint + r.uvarint(), ref: r.uvarint() };
  }
  if (r.remaining !== 0) throw r.error(`${r.remaining} trailing bytes after a series entry`);
  return { labels, chunks };
}
