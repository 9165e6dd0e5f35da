import { isUtf8 } from 'node:buffer';
import { ByteReader } from '../bytes/reader.js';
import type { ByteSource } from '../bytes/source.js';
import { compareUtf8 } from '../../labels/labels.js';
import { corruptIndex } from './errors.js';
import { readSection } from './section.js';

/** The values of one label name and the file offsets of their postings lists (same order). */
export interface NameEntry {
  /** Sorted by UTF-8 bytes, unique. */
  readonly values: string[];
  /** Absolute file offset of each value's postings list (its `len` field). */
  readonly offsets: number[];
}

/** Postings offset table, decoded: label name → values and offsets; name order kept. */
export interface PostingsTable {
  readonly names: Map<string, NameEntry>;
  /** All postings offsets ascending, then the end bound; used to read a list in one request. */
  readonly bounds: Float64Array;
}

/**
 * Decodes the postings offset table content: `count BE32 | count × (uvarint 2, name, value,
 * uvarint64 offset)`. Checks the count against the bytes before allocating, UTF-8 validity,
 * strictly increasing (name, value) byte order, and that each offset leaves room for a list
 * before `limit` (the offset of the table itself).
 */
export function decodePostingsTable(r: ByteReader, limit: number): PostingsTable {
  const countAt = r.offset;
  const count = r.be32();
  if (count > r.remaining / 4) throw corruptIndex(r.file, countAt, `reading postings table: count ${count} too large for ${r.remaining} bytes`);
  const names = new Map<string, NameEntry>();
  const bounds = new Float64Array(count + 1);
  const buf = Buffer.from(r.buf.buffer, r.buf.byteOffset, r.buf.byteLength);
  let prevName: Buffer | undefined, prevValue: Buffer | undefined;
  let entry: NameEntry | undefined;
  for (let i = 0; i < count; i++) {
    const at = r.offset;
    const keys = r.uvarint();
    if (keys !== 2) throw corruptIndex(r.file, at, `reading postings table entry ${i}: ${keys} keys, want 2`);
    const nameLen = r.uvarint(); r.need(nameLen, 'label name');
    const name = buf.subarray(r.pos, r.pos + nameLen); r.pos += nameLen;
    const valueLen = r.uvarint(); r.need(valueLen, 'label value');
    const value = buf.subarray(r.pos, r.pos + valueLen); r.pos += valueLen;
    const offAt = r.offset;
    const off = r.uvarint();
    if (off + 8 > limit) throw corruptIndex(r.file, offAt, `reading postings table entry ${i}: postings offset ${off} past ${limit}`);
    const sameName = prevName !== undefined && Buffer.compare(name, prevName) === 0;
    const order = prevName === undefined ? 1 : sameName ? Buffer.compare(value, prevValue!) : Buffer.compare(name, prevName);
    if (order <= 0) throw corruptIndex(r.file, at, `reading postings table entry ${i}: entries not strictly sorted`);
    if (!sameName) {
      if (!isUtf8(name)) throw corruptIndex(r.file, at, `reading postings table entry ${i}: invalid utf-8 in name`);
      entry = { values: [], offsets: [] };
      names.set(buf.toString('utf8', name.byteOffset - buf.byteOffset, name.byteOffset - buf.byteOffset + nameLen), entry);
    }
    if (!isUtf8(value)) throw corruptIndex(r.file, at, `reading postings table entry ${i}: invalid utf-8 in value`);
    entry!.values.push(buf.toString('utf8', value.byteOffset - buf.byteOffset, value.byteOffset - buf.byteOffset + valueLen));
    entry!.offsets.push(off);
    bounds[i] = off;
    prevName = name; prevValue = value;
  }
  if (r.remaining !== 0) throw corruptIndex(r.file, r.offset, `reading postings table: ${r.remaining} trailing bytes`);
  bounds[count] = limit;
  bounds.sort();
  return { names, bounds };
}

/** The smallest bound above `off` (where the list at `off` must end), or undefined. */
export function nextBound(bounds: Float64Array, off: number): number | undefined {
  let lo = 0, hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid]! <= off) lo = mid + 1; else hi = mid;
  }
  return lo < bounds.length ? bounds[lo] : undefined;
}

/** The in-memory part of one label name in a {@link SampledPostingsTable}. */
interface SampledName {
  /** Every `step`-th value of the name (the first always), its entry position and postings offset. */
  readonly values: string[];
  readonly positions: number[];
  readonly offsets: number[];
  /** Absolute file offset just past the name's last table entry. */
  readonly end: number;
  /** Postings offset of the entry after the name's last one (or the table limit): where its last list ends. */
  readonly nextOffset: number;
}

/** Where one postings list lies: `[offset, end)` in the index file. */
export interface PostingsSpan { readonly offset: number; readonly end: number }

/**
 * A postings offset table of which only every `step`-th entry per label name (and each name's
 * first entry) is kept in memory, like Thanos's `--store.index-header-posting-offsets-in-mem-sampling`.
 * A lookup binary-searches the samples and reads just the table span between two samples from
 * `source` (the local index-header or the remote index) and scans it. Opening decodes and
 * validates the whole table once (same checks as {@link decodePostingsTable}). Requires postings
 * lists in table order (as every Prometheus writer does); otherwise opening fails as corrupt.
 */
export class SampledPostingsTable {
  /**
   * Table spans read recently (by start position), so hot label names cost no read: at most
   * SPAN_MEMO_BYTES per table, oldest dropped first (a few KiB next to the sampled entries).
   */
  private readonly memo = new Map<number, Uint8Array>();
  private memoBytes = 0;

  private constructor(private readonly source: ByteSource, private readonly byName: Map<string, SampledName>) {}

  /**
   * Opens the table whose section starts at `tableAt`; `limit` is where the last list must end.
   * Lookups later read the table spans from `spans` (same bytes as `source`; default `source`).
   */
  static async open(source: ByteSource, tableAt: number, tableEnd: number, limit: number, step: number, spans: ByteSource = source): Promise<SampledPostingsTable> {
    if (!Number.isSafeInteger(step) || step < 1) throw new RangeError(`postings table sampling must be a positive integer, got ${step}`);
    const r = await readSection(source, tableAt, 'postings table', tableEnd);
    decodePostingsTable(new ByteReader(r.buf, r.file, r.base), limit);
    const count = r.be32();
    const byName = new Map<string, SampledName>();
    let cur: { name: string; s: SampledName; i: number } | undefined;
    let prevOff = -1;
    const close = (nextOffset: number, end: number) => {
      if (cur !== undefined) byName.set(cur.name, { ...cur.s, end, nextOffset });
    };
    for (let i = 0; i < count; i++) {
      const pos = r.offset;
      r.uvarint();
      const name = r.utf8(r.uvarint());
      const value = r.utf8(r.uvarint());
      const off = r.uvarint();
      if (off <= prevOff) throw corruptIndex(r.file, pos, `sampling postings table entry ${i}: postings offsets not in table order`);
      prevOff = off;
      if (cur === undefined || cur.name !== name) {
        close(off, pos);
        cur = { name, s: { values: [], positions: [], offsets: [], end: 0, nextOffset: 0 }, i: 0 };
      }
      if (cur.i % step === 0) { cur.s.values.push(value); cur.s.positions.push(pos); cur.s.offsets.push(off); }
      cur.i++;
    }
    close(limit, r.offset);
    return new SampledPostingsTable(spans, byName);
  }

  /** Label names in table (UTF-8 byte) order, including the all-postings key `''`. */
  names(): string[] { return [...this.byName.keys()]; }

  /** Number of entries kept in memory (for tests and metrics). */
  get sampledEntries(): number {
    let n = 0;
    for (const s of this.byName.values()) n += s.values.length;
    return n;
  }

  /** All values of `name` in UTF-8 byte order, read from the source; empty for an unknown name. */
  async values(name: string): Promise<string[]> {
    const s = this.byName.get(name);
    if (s === undefined) return [];
    const out: string[] = [];
    await this.scan(s.positions[0]!, s.end, (v) => { out.push(v); });
    return out;
  }

  /** The postings list span of `name=v` for each of `values` (undefined where absent), same order. */
  async lookup(name: string, values: readonly string[]): Promise<(PostingsSpan | undefined)[]> {
    const s = this.byName.get(name);
    const out: (PostingsSpan | undefined)[] = values.map(() => undefined);
    if (s === undefined) return out;
    const bySample = new Map<number, number[]>();
    values.forEach((v, i) => {
      const k = floorSample(s.values, v);
      if (k < 0) return;
      const list = bySample.get(k);
      if (list === undefined) bySample.set(k, [i]); else list.push(i);
    });
    for (const [k, idx] of bySample) {
      const want = new Map<string, number[]>();
      for (const i of idx) { const l = want.get(values[i]!); if (l === undefined) want.set(values[i]!, [i]); else l.push(i); }
      const to = k + 1 < s.positions.length ? s.positions[k + 1]! : s.end;
      const lastEnd = k + 1 < s.offsets.length ? s.offsets[k + 1]! : s.nextOffset;
      let pending: string | undefined, pendingOff = 0;
      const settle = (end: number) => {
        if (pending !== undefined) for (const i of want.get(pending) ?? []) out[i] = { offset: pendingOff, end };
      };
      await this.scan(s.positions[k]!, to, (v, off) => { settle(off); pending = v; pendingOff = off; });
      settle(lastEnd);
    }
    return out;
  }

  /** Reads table entries in `[from, to)` and calls `each(value, postingsOffset)` for each. */
  private async scan(from: number, to: number, each: (value: string, off: number) => void): Promise<void> {
    let bytes = this.memo.get(from);
    if (bytes === undefined || bytes.length !== to - from) {
      bytes = await this.source.read(from, to - from);
      this.remember(from, bytes);
    }
    const r = new ByteReader(bytes, this.source.name, from);
    while (r.remaining > 0) {
      r.uvarint();
      r.skip(r.uvarint());
      const v = r.utf8(r.uvarint());
      each(v, r.uvarint());
    }
  }

  private remember(from: number, bytes: Uint8Array): void {
    if (bytes.length > SPAN_MEMO_BYTES / 4) return; // a whole name's values (values()) or a huge span: not kept
    const old = this.memo.get(from);
    if (old !== undefined) { this.memo.delete(from); this.memoBytes -= old.length; }
    this.memo.set(from, bytes);
    this.memoBytes += bytes.length;
    for (const [k, v] of this.memo) {
      if (this.memoBytes <= SPAN_MEMO_BYTES) break;
      this.memo.delete(k);
      this.memoBytes -= v.length;
    }
  }
}

/** Bytes of recently read table spans a sampled table keeps (per block). */
export const SPAN_MEMO_BYTES = 16 * 1024;

/** Index of the last sample <= `v`, or -1 when `v` sorts before every sample. */
function floorSample(samples: readonly string[], v: string): number {
  let lo = 0, hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(samples[mid]!, v) <= 0) lo = mid + 1; else hi = mid;
  }
  return lo - 1;
}
