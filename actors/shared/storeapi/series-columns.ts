import { compareUtf8, type Label, type Labels } from '../labels/labels.js';
import type { FieldReader, Rec } from './fields.js';
import { LIMITS } from './protocol.js';
import { AGGR_CHUNK_PARTS, CHUNK_ENCODINGS, MAX_TIME, MIN_TIME, type AggrChunk, type Chunk, type ChunkEncoding, type Series } from './types.js';

/**
 * The wire form of a batch of series (`kind: 'columns'`): what a StoreAPI server sends over the
 * transport instead of a `batch` frame of nested objects. Strings are interned per frame, numbers
 * travel as typed arrays and every chunk's bytes are concatenated into one buffer, so encoding is
 * a few memcpys and decoding makes one view per chunk (10–20× less codec work than nested
 * objects for typical frames). Decoded series are the same `Series` values, in the same order.
 *
 * Layout (series i, chunk j in frame order, part p in AGGR_CHUNK_PARTS order):
 * - `strings`: interned label names and values;
 * - `labels`: per series its label count, then (name, value) string indexes;
 * - `chunkCounts[i]`; `times[2j]`, `times[2j+1]` = chunk j's minTime, maxTime;
 * - `parts[j]`: bitmask of the parts chunk j carries (bit k = AGGR_CHUNK_PARTS[k]);
 * - per present part, in order: `types[k]` = index into CHUNK_ENCODINGS, `ends[k]` = end offset in `data`.
 */
export interface SeriesColumnsFrame {
  readonly kind: 'columns';
  readonly strings: readonly string[];
  readonly labels: Uint32Array;
  readonly chunkCounts: Uint32Array;
  readonly times: Float64Array;
  readonly parts: Uint8Array;
  readonly types: Uint8Array;
  readonly ends: Uint32Array;
  readonly data: Uint8Array;
}

const ENCODING_INDEX = new Map<ChunkEncoding, number>(CHUNK_ENCODINGS.map((e, i) => [e, i]));

/** Packs series (already valid and in order) into one columns frame. */
export function packSeriesColumns(series: readonly Series[]): SeriesColumnsFrame {
  const ids = new Map<string, number>();
  const strings: string[] = [];
  const sid = (s: string): number => {
    let i = ids.get(s);
    if (i === undefined) { i = strings.length; strings.push(s); ids.set(s, i); }
    return i;
  };
  let labelSlots = 0, chunks = 0, partCount = 0, bytes = 0;
  for (const s of series) {
    labelSlots += 1 + 2 * s.labels.length;
    chunks += s.chunks.length;
    for (const c of s.chunks) {
      if (c.raw !== undefined && c.count === undefined && c.sum === undefined && c.min === undefined && c.max === undefined && c.counter === undefined) {
        partCount++; bytes += c.raw.data.length; continue;
      }
      for (const p of AGGR_CHUNK_PARTS) { const part = c[p]; if (part !== undefined) { partCount++; bytes += part.data.length; } }
    }
  }
  const labels = new Uint32Array(labelSlots), chunkCounts = new Uint32Array(series.length);
  const times = new Float64Array(2 * chunks), parts = new Uint8Array(chunks);
  // `data` as a Buffer travels as MessagePack bin, which decodes to a view of the received message
  // (a typed-array extension would be copied again on every decode).
  const types = new Uint8Array(partCount), ends = new Uint32Array(partCount), data = Buffer.allocUnsafe(bytes);
  let li = 0, ci = 0, pi = 0, off = 0;
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    labels[li++] = s.labels.length;
    for (const l of s.labels) { labels[li++] = sid(l.name); labels[li++] = sid(l.value); }
    chunkCounts[i] = s.chunks.length;
    for (const c of s.chunks) {
      times[2 * ci] = c.minTime;
      times[2 * ci + 1] = c.maxTime;
      const raw = c.raw;
      if (raw !== undefined && c.count === undefined && c.sum === undefined && c.min === undefined && c.max === undefined && c.counter === undefined) {
        // The common case (raw blocks): one part, read by name.
        types[pi] = raw.type === 'XOR' ? 0 : ENCODING_INDEX.get(raw.type) ?? 0;
        data.set(raw.data, off);
        off += raw.data.length;
        ends[pi++] = off;
        parts[ci++] = 1;
        continue;
      }
      let mask = 0;
      for (let k = 0; k < AGGR_CHUNK_PARTS.length; k++) {
        const part = c[AGGR_CHUNK_PARTS[k]!];
        if (part === undefined) continue;
        mask |= 1 << k;
        types[pi] = ENCODING_INDEX.get(part.type) ?? 0;
        data.set(part.data, off);
        off += part.data.length;
        ends[pi++] = off;
      }
      parts[ci++] = mask;
    }
  }
  return { kind: 'columns', strings, labels, chunkCounts, times, parts, types, ends, data };
}

/** Field paths for error messages, built only when a check fails. */
const lf = (i: number, k: number, what: string): string => `series[${i}].labels[${k}].${what}`;
const cf = (i: number, k: number, what: string): string => `series[${i}].chunks[${k}].${what}`;

function typed<T extends ArrayBufferView>(r: FieldReader, o: Rec, key: string, ctor: new (n: number) => T, len?: number): T {
  const v = o[key];
  if (!(v instanceof ctor)) return r.fail(key, ctor.name, v);
  if (len !== undefined && (v as unknown as { length: number }).length !== len) r.fail(key, `${len} items long`, `${(v as unknown as { length: number }).length} items`);
  return v;
}

/**
 * Validates a decoded columns frame and rebuilds its series (chunk bytes are views into `data`).
 * Every inconsistency (lengths, indexes, offsets, times, labels not sorted/unique, limits) throws
 * the reader's error naming the field, exactly as for a `batch` frame of the same series.
 */
export function unpackSeriesColumns(r: FieldReader, o: Rec): Series[] {
  const strings = r.strings(o.strings, 'strings', 2 * LIMITS.maxFrameSeries * LIMITS.maxLabelsPerSeries, LIMITS.maxLabelValueLength);
  const chunkCounts = typed(r, o, 'chunkCounts', Uint32Array);
  const n = chunkCounts.length;
  if (n === 0 || n > LIMITS.maxFrameSeries) r.fail('chunkCounts', `1..${LIMITS.maxFrameSeries} items`, `${n} items`);
  let chunks = 0;
  for (let i = 0; i < n; i++) {
    if (chunkCounts[i]! > LIMITS.maxChunksPerSeries) r.fail(`chunkCounts[${i}]`, `at most ${LIMITS.maxChunksPerSeries}`, chunkCounts[i]);
    chunks += chunkCounts[i]!;
  }
  const labels = typed(r, o, 'labels', Uint32Array);
  const times = typed(r, o, 'times', Float64Array, 2 * chunks);
  const parts = typed(r, o, 'parts', Uint8Array, chunks);
  let partCount = 0;
  for (let j = 0; j < chunks; j++) {
    const m = parts[j]!;
    if (m === 0 || m >= 1 << AGGR_CHUNK_PARTS.length) r.fail(`parts[${j}]`, 'a chunk with at least one of raw|count|sum|min|max|counter', m);
    for (let b = m; b !== 0; b &= b - 1) partCount++;
  }
  const types = typed(r, o, 'types', Uint8Array, partCount);
  const ends = typed(r, o, 'ends', Uint32Array, partCount);
  const bytes = typed(r, o, 'data', Uint8Array);
  // Chunk views are plain Uint8Arrays whatever the codec handed back (a Buffer view of the message):
  // the XOR decoder's hot loop then sees one array class, as it does for chunks read from disk.
  const data = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Series[] = new Array(n);
  let li = 0, ci = 0, pi = 0, off = 0;
  const str = (at: number, i: number, k: number, what: string): string => {
    if (at >= labels.length) r.fail('labels', `at least ${at + 1} items`, `${labels.length} items`);
    const s = strings[labels[at]!];
    return s === undefined ? r.fail(lf(i, k, what), `an index into strings (< ${strings.length})`, labels[at]) : s;
  };
  for (let i = 0; i < n; i++) {
    if (li >= labels.length) r.fail('labels', `at least ${li + 1} items`, `${labels.length} items`);
    const count = labels[li++]!;
    if (count > LIMITS.maxLabelsPerSeries) r.fail(`series[${i}].labels`, `at most ${LIMITS.maxLabelsPerSeries} items`, `${count} items`);
    const ls: Label[] = new Array(count);
    for (let k = 0; k < count; k++) {
      const name = str(li++, i, k, 'name'), value = str(li++, i, k, 'value');
      if (name.length === 0) r.fail(lf(i, k, 'name'), 'a non-empty string', name);
      if (name.length > LIMITS.maxLabelNameLength) r.fail(lf(i, k, 'name'), `at most ${LIMITS.maxLabelNameLength} characters long`, `${name.length} characters`);
      if (k > 0 && compareUtf8(ls[k - 1]!.name, name) >= 0) r.fail(lf(i, k, 'name'), 'sorted and unique', name);
      ls[k] = { name, value };
    }
    const cs: AggrChunk[] = new Array(chunkCounts[i]!);
    for (let k = 0; k < cs.length; k++, ci++) {
      const minTime = times[2 * ci]!, maxTime = times[2 * ci + 1]!;
      if (!Number.isSafeInteger(minTime) || minTime < MIN_TIME || minTime > MAX_TIME) r.fail(cf(i, k, 'minTime'), `a safe integer in [${MIN_TIME}, ${MAX_TIME}]`, minTime);
      if (!Number.isSafeInteger(maxTime) || maxTime < MIN_TIME || maxTime > MAX_TIME) r.fail(cf(i, k, 'maxTime'), `a safe integer in [${MIN_TIME}, ${MAX_TIME}]`, maxTime);
      if (minTime > maxTime) r.fail(cf(i, k, 'maxTime'), `≥ minTime (${minTime})`, maxTime);
      const mask = parts[ci]!;
      if (mask === 1) {
        // Raw only (raw blocks): one literal, so every such chunk has the same shape.
        const type = CHUNK_ENCODINGS[types[pi]!];
        if (type === undefined) r.fail(cf(i, k, 'raw.type'), `one of ${CHUNK_ENCODINGS.join('|')}`, types[pi]);
        const end = ends[pi++]!;
        if (end < off || end > data.length) r.fail(cf(i, k, 'raw.data'), `an end offset in [${off}, ${data.length}]`, end);
        cs[k] = { minTime, maxTime, raw: { type, data: data.subarray(off, end) } };
        off = end;
        continue;
      }
      const c: { -readonly [K in keyof AggrChunk]: AggrChunk[K] } = { minTime, maxTime };
      for (let b = 0; b < AGGR_CHUNK_PARTS.length; b++) {
        if ((mask & (1 << b)) === 0) continue;
        const p = AGGR_CHUNK_PARTS[b]!;
        const type = CHUNK_ENCODINGS[types[pi]!];
        if (type === undefined) r.fail(cf(i, k, `${p}.type`), `one of ${CHUNK_ENCODINGS.join('|')}`, types[pi]);
        const end = ends[pi++]!;
        if (end < off || end > data.length) r.fail(cf(i, k, `${p}.data`), `an end offset in [${off}, ${data.length}]`, end);
        c[p] = { type, data: data.subarray(off, end) } satisfies Chunk;
        off = end;
      }
      cs[k] = c;
    }
    out[i] = { labels: ls as Labels, chunks: cs };
  }
  if (li !== labels.length) r.fail('labels', `${li} items long`, `${labels.length} items`);
  return out;
}
