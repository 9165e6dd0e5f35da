import { ByteWriter } from '../bytes/writer.js';
import { crc32c } from '../bytes/crc32c.js';
import { compareLabels, compareUtf8, type Labels } from '../../labels/labels.js';
import { IndexWriteError } from './errors.js';
import { INDEX_MAGIC, INDEX_VERSION, SERIES_ALIGNMENT } from './format.js';
import { encodeSeriesContent, type ChunkMeta } from './series.js';
import { encodeToc } from './toc.js';

/** One series to write: its label set and its chunks in time order. */
export interface SeriesInput {
  readonly labels: Labels;
  readonly chunks: readonly ChunkMeta[];
}

/** Starts a `len BE32` framed section; returns the position of the length field. */
function startSection(w: ByteWriter): number { const at = w.length; w.be32(0); return at; }

/** Patches the length and appends the CRC32C of the content. */
function endSection(w: ByteWriter, at: number): void {
  w.putBe32(at, w.length - at - 4);
  w.be32(crc32c(w.view(at + 4)));
}

/**
 * Builds a v2 index in memory, byte for byte as Prometheus 2.42's `index.Writer`: header, symbol
 * table, 16-byte-aligned series, label indices, postings (all-postings list first, 4-byte aligned),
 * label offset table, postings offset table, TOC, with the same padding and CRC32C everywhere.
 * Call `addSymbol` for every symbol in strictly increasing UTF-8 byte order, then `addSeries` in
 * strictly increasing label-set order, then `finish()`. Misuse throws IndexWriteError.
 */
export class IndexWriter {
  private readonly w = new ByteWriter(1 << 16);
  private readonly symbolRefs = new Map<string, number>();
  private lastSymbol: string | undefined;
  private stage: 'symbols' | 'series' | 'done' = 'symbols';
  private symbolsAt = 0;
  private seriesAt = 0;
  private lastSeries: Labels | undefined;
  private readonly all: number[] = [];
  /** name ref → value ref → series refs. */
  private readonly postings = new Map<number, Map<number, number[]>>();
  private readonly content = new ByteWriter(256);

  constructor() {
    this.w.be32(INDEX_MAGIC);
    this.w.u8(INDEX_VERSION);
    this.symbolsAt = this.w.length;
    this.w.be32(0); // length
    this.w.be32(0); // count
  }

  addSymbol(sym: string): void {
    if (this.stage !== 'symbols') throw new IndexWriteError(`adding symbol ${JSON.stringify(sym)}: series already started`);
    if (this.lastSymbol !== undefined && compareUtf8(sym, this.lastSymbol) <= 0) {
      throw new IndexWriteError(`adding symbol ${JSON.stringify(sym)}: out of order after ${JSON.stringify(this.lastSymbol)}`);
    }
    this.lastSymbol = sym;
    this.symbolRefs.set(sym, this.symbolRefs.size);
    this.w.uvarintString(sym);
  }

  private finishSymbols(): void {
    const w = this.w;
    w.putBe32(this.symbolsAt, w.length - this.symbolsAt - 4);
    w.putBe32(this.symbolsAt + 4, this.symbolRefs.size);
    w.be32(crc32c(w.view(this.symbolsAt + 4)));
    this.seriesAt = w.length;
    this.stage = 'series';
  }

  private ref(s: string, labels: Labels): number {
    const r = this.symbolRefs.get(s);
    if (r === undefined) throw new IndexWriteError(`adding series ${labelsText(labels)}: symbol ${JSON.stringify(s)} was not added`);
    return r;
  }

  /** Adds a series; returns its reference (offset / 16). */
  addSeries(labels: Labels, chunks: readonly ChunkMeta[]): number {
    if (this.stage === 'symbols') this.finishSymbols();
    if (this.stage !== 'series') throw new IndexWriteError('adding series: index already finished');
    if (labels.length === 0) throw new IndexWriteError('adding series: empty label set');
    if (this.lastSeries !== undefined && compareLabels(labels, this.lastSeries) <= 0) {
      throw new IndexWriteError(`adding series ${labelsText(labels)}: out of order`);
    }
    const w = this.w;
    w.align(SERIES_ALIGNMENT);
    const sref = w.length / SERIES_ALIGNMENT;
    const refs = new Array<number>(labels.length * 2);
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i]!;
      const n = this.ref(l.name, labels), v = this.ref(l.value, labels);
      refs[2 * i] = n; refs[2 * i + 1] = v;
      let byValue = this.postings.get(n);
      if (byValue === undefined) this.postings.set(n, byValue = new Map());
      const list = byValue.get(v);
      if (list === undefined) byValue.set(v, [sref]); else list.push(sref);
    }
    const c = this.content;
    c.reset();
    encodeSeriesContent(c, refs, chunks);
    const body = c.finish();
    w.uvarint(body.length);
    w.bytes(body);
    w.be32(crc32c(body));
    this.all.push(sref);
    this.lastSeries = labels;
    return sref;
  }

  /**
   * Largest distance between consecutive series entries in bytes, as Thanos computes
   * `index_stats.series_max_size` (`GatherIndexHealthStats`: ref deltas × 16; the last series is
   * not counted). 0 with fewer than two series.
   */
  get seriesMaxSize(): number {
    let max = 0;
    for (let i = 1; i < this.all.length; i++) max = Math.max(max, (this.all[i]! - this.all[i - 1]!) * SERIES_ALIGNMENT);
    return max;
  }

  /** Writes the remaining sections and returns the complete index bytes. */
  finish(): Uint8Array {
    if (this.stage === 'symbols') this.finishSymbols();
    if (this.stage === 'done') throw new IndexWriteError('finishing index: already finished');
    this.stage = 'done';
    const w = this.w;
    const syms = [...this.symbolRefs.keys()];
    const names = [...this.postings.keys()].sort((a, b) => a - b);
    const valuesOf = (n: number) => [...this.postings.get(n)!.keys()].sort((a, b) => a - b);

    const labelIndices = w.length;
    const labelIndexAt: number[] = [];
    for (const n of names) {
      w.align(4);
      labelIndexAt.push(w.length);
      const at = startSection(w);
      const vals = valuesOf(n);
      w.be32(1);
      w.be32(vals.length);
      for (const v of vals) w.be32(v);
      endSection(w, at);
    }

    const postingsToc = w.length;
    w.align(4);
    const table: { name: string; value: string; off: number }[] = [];
    const writeList = (name: string, value: string, refs: readonly number[]) => {
      w.align(4);
      table.push({ name, value, off: w.length });
      const at = startSection(w);
      w.be32(refs.length);
      for (const r of refs) w.be32(r);
      endSection(w, at);
    };
    writeList('', '', this.all);
    for (const n of names) {
      const byValue = this.postings.get(n)!;
      for (const v of valuesOf(n)) writeList(syms[n]!, syms[v]!, byValue.get(v)!);
    }

    const labelIndicesTable = w.length;
    let at = startSection(w);
    w.be32(names.length);
    names.forEach((n, i) => { w.uvarint(1); w.uvarintString(syms[n]!); w.uvarint(labelIndexAt[i]!); });
    endSection(w, at);

    const postingsTable = w.length;
    at = startSection(w);
    w.be32(table.length);
    for (const e of table) { w.uvarint(2); w.uvarintString(e.name); w.uvarintString(e.value); w.uvarint(e.off); }
    endSection(w, at);

    encodeToc(w, { symbols: this.symbolsAt, series: this.seriesAt, labelIndices, labelIndicesTable, postings: postingsToc, postingsTable });
    return w.copy();
  }
}

function labelsText(ls: Labels): string {
  return '{' + ls.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ') + '}';
}

/** Every name and value of `series`, sorted by UTF-8 bytes, unique: the symbols Prometheus would write. */
export function symbolsOf(series: Iterable<SeriesInput>): string[] {
  const set = new Set<string>();
  for (const s of series) for (const l of s.labels) { set.add(l.name); set.add(l.value); }
  return [...set].sort(compareUtf8);
}

/**
 * Writes a whole index. `symbols` defaults to `symbolsOf(series)`; pass the original symbol table
 * to reproduce an index that carries extra symbols (compaction keeps those of deleted series).
 * `series` must be sorted by label set.
 */
export function writeIndex(series: readonly SeriesInput[], symbols?: Iterable<string>): Uint8Array {
  const iw = new IndexWriter();
  for (const s of symbols ?? symbolsOf(series)) iw.addSymbol(s);
  for (const s of series) iw.addSeries(s.labels, s.chunks);
  return iw.finish();
}
