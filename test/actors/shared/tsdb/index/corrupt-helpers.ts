// Helpers to damage index bytes in controlled ways (keeping CRCs valid when asked).
import { crc32c } from '../../../../../actors/shared/tsdb/bytes/crc32c.js';

export function be32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}
export function putBe32(b: Uint8Array, p: number, v: number): void {
  b[p] = v >>> 24; b[p + 1] = (v >>> 16) & 0xff; b[p + 2] = (v >>> 8) & 0xff; b[p + 3] = v & 0xff;
}
export function be64(b: Uint8Array, p: number): number { return be32(b, p) * 2 ** 32 + be32(b, p + 4); }
export function putBe64(b: Uint8Array, p: number, v: number): void { putBe32(b, p, Math.floor(v / 2 ** 32)); putBe32(b, p + 4, v >>> 0); }

/** A checksummed region: content `[start, start+len)` followed by its CRC32C. */
export interface Region { readonly start: number; readonly len: number }

export function fixCrc(b: Uint8Array, r: Region): void {
  putBe32(b, r.start + r.len, crc32c(b.subarray(r.start, r.start + r.len)));
}

export function fixTocCrc(b: Uint8Array): void { fixCrc(b, { start: b.length - 52, len: 48 }); }

export interface Toc { symbols: number; series: number; labelIndices: number; labelIndicesTable: number; postings: number; postingsTable: number }

export function tocOf(b: Uint8Array): Toc {
  const at = b.length - 52;
  return { symbols: be64(b, at), series: be64(b, at + 8), labelIndices: be64(b, at + 16), labelIndicesTable: be64(b, at + 24), postings: be64(b, at + 32), postingsTable: be64(b, at + 40) };
}

function uvarintAt(b: Uint8Array, p: number): [number, number] {
  let x = 0, mul = 1;
  for (;;) { const c = b[p++]!; x += (c & 0x7f) * mul; if (c < 0x80) return [x, p]; mul *= 128; }
}

/** BE32-framed region at `off`. */
export function sectionAt(b: Uint8Array, off: number): Region { return { start: off + 4, len: be32(b, off) }; }

/** Every checksummed region of a well-formed index (symbols, series, label indices, postings, tables, TOC). */
export function regionsOf(b: Uint8Array): Region[] {
  const toc = tocOf(b);
  const out: Region[] = [sectionAt(b, toc.symbols)];
  let p = toc.series;
  while (p < toc.labelIndices) {
    while (p < toc.labelIndices && b[p] === 0) p++;
    if (p >= toc.labelIndices) break;
    const [len, q] = uvarintAt(b, p);
    out.push({ start: q, len });
    p = q + len + 4;
  }
  for (const [from, to] of [[toc.labelIndices, toc.postings], [toc.postings, toc.labelIndicesTable]] as const) {
    p = from;
    while (p < to) {
      while (p < to && p % 4 !== 0) p++;
      if (p + 8 > to) break;
      const r = sectionAt(b, p);
      out.push(r);
      p = r.start + r.len + 4;
    }
  }
  out.push(sectionAt(b, toc.labelIndicesTable), sectionAt(b, toc.postingsTable), { start: b.length - 52, len: 48 });
  return out;
}
