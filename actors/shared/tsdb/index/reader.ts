import { ByteReader } from '../bytes/reader.js';
import type { ByteSource } from '../bytes/source.js';
import { compareUtf8 } from '../../labels/labels.js';
import type { MatcherSpec } from '../../labels/matcher.js';
import { corruptIndex, guardIndex } from './errors.js';
import { ALL_POSTINGS_NAME, ALL_POSTINGS_VALUE, INDEX_HEADER_LEN, INDEX_MAGIC, INDEX_TOC_LEN, INDEX_VERSION, SERIES_ALIGNMENT } from './format.js';
import { labelNamesFor, labelValuesFor, type LabelQuerySource } from './label-queries.js';
import { postingsForMatchers, type PostingsSource } from './matchers.js';
import { decodePostings, EMPTY_POSTINGS, mergePostings, type Postings } from './postings.js';
import { decodePostingsTable, nextBound, SampledPostingsTable, type PostingsTable } from './postings-table.js';
import { checkedContent, crcChecked, readSection } from './section.js';
import { decodeSeries, type SeriesEntry } from './series.js';
import { decodeSymbols } from './symbols.js';
import { decodeToc, type IndexToc } from './toc.js';

/** Reads of postings lists closer than this are fetched as one range. */
const POSTINGS_COALESCE_GAP = 16 * 1024;
/** Series entries closer than this are fetched as one range, up to a run of SERIES_MAX_SPAN. */
const SERIES_COALESCE_GAP = 16 * 1024;
const SERIES_MAX_SPAN = 1 << 20;

export interface IndexReaderOptions {
  /** First guess of a series entry's size in bytes (e.g. Thanos `index_stats.series_max_size`). */
  readonly seriesSizeHint?: number;
  /**
   * Keep only every Nth postings offset table entry per label name in memory (Thanos
   * `--store.index-header-posting-offsets-in-mem-sampling`); lookups read the table span between
   * two samples from the source. Unset (default): the whole table is decoded into memory. When set,
   * the sync `labelValues` throws; use `labelValuesAsync` (the reader's own matcher and label
   * queries do).
   */
  readonly postingsOffsetsSampling?: number;
  /**
   * With sampling: where the postings offset table spans are read after open (e.g. a local copy of
   * the table that falls back to the index); it must hold the same bytes as the source. Default:
   * the source.
   */
  readonly postingsTableSource?: ByteSource;
}

/**
 * A v2 index over a random-access ByteSource. Opening reads only the header, the TOC, the symbol
 * table and the postings offset table; postings lists and series entries are read on demand by
 * range, so the source can be a remote object. Every corruption is a CorruptIndexError naming the
 * file and offset; nothing is allocated in proportion to a length field before it is checked
 * against the source size. Safe for concurrent calls.
 */
export class IndexReader implements PostingsSource {
  private seriesGuess: number;

  private constructor(
    readonly source: ByteSource,
    readonly toc: IndexToc,
    private readonly syms: string[],
    private readonly table: PostingsTable | undefined,
    private readonly sampled: SampledPostingsTable | undefined,
    opts: IndexReaderOptions,
  ) {
    this.seriesGuess = Math.max(64, Math.min(opts.seriesSizeHint ?? 256, 1 << 20));
  }

  static open(source: ByteSource, opts: IndexReaderOptions = {}): Promise<IndexReader> {
    return guardIndex(async () => {
      const file = source.name;
      if (source.size < INDEX_HEADER_LEN + INDEX_TOC_LEN) throw corruptIndex(file, 0, `reading index header: file of ${source.size} bytes is too short`);
      const head = await source.read(0, INDEX_HEADER_LEN);
      const magic = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
      if (magic !== INDEX_MAGIC) throw corruptIndex(file, 0, `reading index header: invalid magic number ${magic.toString(16)}`);
      if (head[4] !== INDEX_VERSION) throw corruptIndex(file, 4, `reading index header: unsupported index version ${head[4]}`);
      const tocAt = source.size - INDEX_TOC_LEN;
      const toc = decodeToc(await source.read(tocAt, INDEX_TOC_LEN), file, tocAt);
      const fields: [keyof IndexToc, number][] = [['symbols', toc.symbols], ['series', toc.series], ['labelIndices', toc.labelIndices],
        ['labelIndicesTable', toc.labelIndicesTable], ['postings', toc.postings], ['postingsTable', toc.postingsTable]];
      for (const [name, off] of fields) {
        if (off > tocAt || (off !== 0 && off < INDEX_HEADER_LEN)) throw corruptIndex(file, tocAt, `reading toc: ${name} offset ${off} outside the file`);
      }
      if (toc.symbols === 0 || toc.postingsTable === 0) throw corruptIndex(file, tocAt, 'reading toc: symbols or postings table missing');
      const syms = decodeSymbols(await readSection(source, toc.symbols, 'symbols', toc.series || undefined));
      const limit = toc.labelIndicesTable || toc.postingsTable;
      const step = opts.postingsOffsetsSampling;
      if (step !== undefined) return new IndexReader(source, toc, syms, undefined, await SampledPostingsTable.open(source, toc.postingsTable, tocAt, limit, step, opts.postingsTableSource), opts);
      const table = decodePostingsTable(await readSection(source, toc.postingsTable, 'postings table', tocAt), limit);
      return new IndexReader(source, toc, syms, table, undefined, opts);
    });
  }

  /**
   * This index read through `source` instead (e.g. a view that accounts one request's reads): shares
   * everything decoded at open, costs one small object. `source` must hold the same bytes.
   */
  withSource(source: ByteSource): IndexReader {
    const view = Object.create(this) as IndexReader;
    Object.defineProperty(view, 'source', { value: source, enumerable: true });
    return view;
  }

  /** The symbol table, sorted by UTF-8 bytes; a v2 symbol ref is the position. */
  get symbols(): readonly string[] { return this.syms; }

  /** Symbol by reference, or a CorruptIndexError for an unknown ref. */
  symbol(ref: number): string {
    const s = this.syms[ref];
    if (s === undefined) throw corruptIndex(this.source.name, -1, `looking up symbol: unknown ref ${ref}`);
    return s;
  }

  /** Label names in UTF-8 byte order (the all-postings key excluded). */
  labelNames(): string[] {
    const out: string[] = [];
    for (const n of this.table?.names.keys() ?? this.sampled!.names()) if (n !== ALL_POSTINGS_NAME) out.push(n);
    return out;
  }

  /** Values of `name` in UTF-8 byte order; empty for an unknown name. Do not modify. Unsampled readers only. */
  labelValues(name: string): readonly string[] {
    if (name === ALL_POSTINGS_NAME) return [];
    if (this.table === undefined) throw new RangeError('labelValues on a sampled index reader: use labelValuesAsync');
    return this.table.names.get(name)?.values ?? [];
  }

  /** Values of `name` in UTF-8 byte order (read from the source when sampled); empty for an unknown name. */
  labelValuesAsync(name: string): Promise<readonly string[]> {
    if (this.sampled === undefined || name === ALL_POSTINGS_NAME) return Promise.resolve(this.labelValues(name));
    return guardIndex(() => this.sampled!.values(name));
  }

  /** True when the postings offset table is sampled (see IndexReaderOptions). */
  get isSampled(): boolean { return this.sampled !== undefined; }

  /** Sorted series refs of series having `name=value` (`('', '')`: every series). */
  postings(name: string, value: string): Promise<Postings> {
    return this.postingsFor(name, [value]);
  }

  /** Union of the postings of `name=v` over `values` (absent values contribute nothing). */
  postingsFor(name: string, values: readonly string[]): Promise<Postings> {
    return guardIndex(async () => {
      if (values.length === 0) return EMPTY_POSTINGS;
      const lists = await this.postingsEach(name, values);
      return mergePostings(lists.filter((l) => l.length > 0));
    });
  }

  /** The postings of each `name=v` separately, in the order of `values` (empty for absent values). */
  postingsEach(name: string, values: readonly string[]): Promise<Postings[]> {
    return guardIndex(async () => {
      const spans = await this.spansOf(name, values);
      const found = spans.filter((s): s is { offset: number; end: number } => s !== undefined);
      const lists = await this.readPostingsLists(found.map((s) => s.offset), found.map((s) => s.end));
      let k = 0;
      return spans.map((s) => (s !== undefined ? lists[k++]! : EMPTY_POSTINGS));
    });
  }

  /** Where each `name=v` list lies in the file (undefined for absent values). */
  private async spansOf(name: string, values: readonly string[]): Promise<({ offset: number; end: number } | undefined)[]> {
    if (this.sampled !== undefined) return this.sampled.lookup(name, values);
    const table = this.table!;
    const e = table.names.get(name);
    if (e === undefined) return values.map(() => undefined);
    const size = this.source.size;
    return values.map((v) => {
      const i = findValue(e.values, v);
      if (i < 0) return undefined;
      const offset = e.offsets[i]!;
      return { offset, end: Math.min(nextBound(table.bounds, offset) ?? size, size) };
    });
  }

  /** This reader with the values of `names` loaded, for the sync PostingsSource contract when sampled. */
  private async loaded(names: readonly string[]): Promise<LabelQuerySource> {
    if (this.sampled === undefined) return this;
    const vals = new Map<string, readonly string[]>();
    for (const n of names) if (!vals.has(n)) vals.set(n, await this.labelValuesAsync(n));
    return {
      labelValues: (n) => vals.get(n) ?? [],
      postingsFor: (n, v) => this.postingsFor(n, v),
      postingsEach: (n, v) => this.postingsEach(n, v),
      allPostings: () => this.allPostings(),
      seriesMany: (r) => this.seriesMany(r),
    };
  }

  /** Every series ref. */
  allPostings(): Promise<Postings> { return this.postings(ALL_POSTINGS_NAME, ALL_POSTINGS_VALUE); }

  /** Series refs matching all matchers, with Prometheus's `PostingsForMatchers` semantics. */
  postingsForMatchers(matchers: readonly MatcherSpec[]): Promise<Postings> {
    return this.loaded(matchers.map((m) => m.name)).then((ix) => postingsForMatchers(ix, matchers));
  }

  /** Values of `name` on the series `matchers` select, sorted (Prometheus `labelValuesWithMatchers`). */
  labelValuesFor(name: string, matchers: readonly MatcherSpec[]): Promise<string[]> {
    return this.loaded([name, ...matchers.map((m) => m.name)]).then((ix) => labelValuesFor(ix, name, matchers));
  }

  /** Label names of the series `matchers` select, sorted (reads those series). */
  labelNamesFor(matchers: readonly MatcherSpec[]): Promise<string[]> {
    return this.loaded(matchers.map((m) => m.name)).then((ix) => labelNamesFor(ix, matchers));
  }

  /** Reads the series entry with reference `ref` (its offset / 16). */
  series(ref: number): Promise<SeriesEntry> {
    return guardIndex(async () => {
      const off = this.seriesOffset(ref);
      const end = this.seriesEnd();
      const buf = await this.source.read(off, Math.min(this.seriesGuess, end - off));
      return this.decodeEntry(buf, 0, ref) ?? this.readEntryExact(ref);
    });
  }

  /**
   * Reads many series entries (results in the order of `refs`). Entries close together in the
   * file are fetched with one read per run (gaps up to 16 KiB, runs up to 1 MiB), as the store
   * gateway does for remote indexes; postings order (ascending refs) is the efficient input.
   */
  seriesMany(refs: ArrayLike<number>): Promise<SeriesEntry[]> {
    return guardIndex(async () => {
      const n = refs.length;
      const out = new Array<SeriesEntry>(n);
      const order = Array.from({ length: n }, (_, i) => i);
      let ascending = true;
      for (let i = 1; i < n && ascending; i++) ascending = refs[i]! >= refs[i - 1]!;
      if (!ascending) order.sort((a, b) => refs[a]! - refs[b]!);
      const end = this.seriesEnd();
      let i = 0;
      while (i < n) {
        const start = this.seriesOffset(refs[order[i]!]!);
        let j = i;
        while (j + 1 < n) {
          const next = this.seriesOffset(refs[order[j + 1]!]!);
          if (next - refs[order[j]!]! * SERIES_ALIGNMENT > SERIES_COALESCE_GAP || next - start > SERIES_MAX_SPAN) break;
          j++;
        }
        const stop = Math.min(end, refs[order[j]!]! * SERIES_ALIGNMENT + this.seriesGuess);
        const buf = await this.source.read(start, stop - start);
        for (let k = i; k <= j; k++) {
          const ref = refs[order[k]!]!;
          out[order[k]!] = this.decodeEntry(buf, ref * SERIES_ALIGNMENT - start, ref) ?? await this.readEntryExact(ref);
        }
        i = j + 1;
      }
      return out;
    });
  }

  private seriesEnd(): number { return this.toc.labelIndices || this.toc.postings || this.source.size; }

  /** Validates a series ref and returns its file offset. */
  private seriesOffset(ref: number): number {
    const off = ref * SERIES_ALIGNMENT;
    if (!Number.isSafeInteger(ref) || ref < 0 || off < this.toc.series || off >= this.seriesEnd()) {
      throw corruptIndex(this.source.name, off, `reading series ${ref}: outside the series section`);
    }
    return off;
  }

  /** Decodes the entry at `buf[rel]`, or returns undefined when `buf` ends before the entry does. */
  private decodeEntry(buf: Uint8Array, rel: number, ref: number): SeriesEntry | undefined {
    const off = ref * SERIES_ALIGNMENT;
    const lr = new ByteReader(buf, this.source.name, off - rel, rel);
    let len: number;
    try { len = lr.uvarint(); } catch (e) {
      if (buf.length - rel >= 10) throw e;
      return undefined;
    }
    const total = lr.pos - rel + len + 4;
    if (off + total > this.seriesEnd()) throw corruptIndex(this.source.name, off, `reading series ${ref}: length ${len} runs past the series section`);
    if (rel + total > buf.length) return undefined;
    return decodeSeries(crcChecked(buf, lr.pos, len, this.source.name, off - rel + lr.pos, `series ${ref}`), this.syms);
  }

  /** Reads exactly one entry whose size is learnt from its length field. */
  private async readEntryExact(ref: number): Promise<SeriesEntry> {
    const off = this.seriesOffset(ref);
    const end = this.seriesEnd();
    const head = await this.source.read(off, Math.min(10, end - off));
    const lr = new ByteReader(head, this.source.name, off);
    const len = lr.uvarint();
    const total = lr.pos + len + 4;
    if (off + total > end) throw corruptIndex(this.source.name, off, `reading series ${ref}: length ${len} runs past the series section`);
    if (total > this.seriesGuess) this.seriesGuess = Math.min(total, 1 << 20);
    const buf = await this.source.read(off, total);
    return decodeSeries(crcChecked(buf, lr.pos, len, this.source.name, off + lr.pos, `series ${ref}`), this.syms);
  }

  /**
   * Reads several postings lists (results in the order of `offsets`), merging nearby ranges into
   * single reads. Each list must end before the next table offset (lists never overlap).
   */
  private async readPostingsLists(offsets: readonly number[], listEnds: readonly number[]): Promise<Postings[]> {
    const n = offsets.length;
    if (n === 0) return [];
    const src = this.source;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => offsets[a]! - offsets[b]!);
    const at = (k: number) => offsets[order[k]!]!;
    const ends = order.map((i) => Math.min(listEnds[i]!, src.size));
    const out = new Array<Postings>(n);
    let i = 0;
    while (i < n) {
      let j = i;
      while (j + 1 < n && at(j + 1) - ends[j]! <= POSTINGS_COALESCE_GAP) j++;
      const start = at(i);
      const block = await src.read(start, Math.max(ends[j]!, ends[i]!) - start);
      for (let k = i; k <= j; k++) out[order[k]!] = this.decodeListAt(block, at(k) - start, ends[k]! - start, start);
      i = j + 1;
    }
    return out;
  }

  /** Decodes the list at `block[rel]`, which must end by `block[endRel]`. */
  private decodeListAt(block: Uint8Array, rel: number, endRel: number, blockStart: number): Postings {
    const off = blockStart + rel;
    if (rel + 8 > endRel) throw corruptIndex(this.source.name, off, 'reading postings: no room for a list before the next one');
    const len = ((block[rel]! << 24) | (block[rel + 1]! << 16) | (block[rel + 2]! << 8) | block[rel + 3]!) >>> 0;
    if (rel + 8 + len > endRel) throw corruptIndex(this.source.name, off, `reading postings: length ${len} runs into the next list`);
    return decodePostings(checkedContent(block.subarray(rel, rel + 8 + len), this.source.name, off, len, 'postings'));
  }
}

/** Index of `v` in sorted `values`, or -1. */
function findValue(values: readonly string[], v: string): number {
  let lo = 0, hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareUtf8(values[mid]!, v);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1; else hi = mid;
  }
  return -1;
}
