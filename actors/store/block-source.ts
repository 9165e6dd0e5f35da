import type { BucketReader } from '../shared/objstore/bucket.js';
import { compareLabels, compareUtf8, labelsFromPairs, type Labels } from '../shared/labels/labels.js';
import type { MatcherSpec } from '../shared/labels/matcher.js';
import type { Aggr, AggrChunk, Chunk, ChunkEncoding, Series } from '../shared/storeapi/types.js';
import { decodeAggrChunk } from '../shared/tsdb/aggr/aggr-chunk.js';
import type { ByteSource } from '../shared/tsdb/bytes/source.js';
import { Encoding } from '../shared/tsdb/chunkenc/encoding.js';
import { refSegment, type StoredChunk } from '../shared/tsdb/chunks/format.js';
import { checkSegmentHeader } from '../shared/tsdb/chunks/record.js';
import { labelNamesFor, labelValuesFor } from '../shared/tsdb/index/label-queries.js';
import { postingsForMatchers } from '../shared/tsdb/index/matchers.js';
import { IndexReader } from '../shared/tsdb/index/reader.js';
import type { SeriesEntry } from '../shared/tsdb/index/series.js';
import type { BlockMeta } from '../shared/tsdb/meta/types.js';
import { rm } from 'node:fs/promises';
import { bucketSource, countingSource, type FetchObserver } from './bucket-source.js';
import { HeaderSource, readIndexHeader, writeIndexHeader, type HeaderRange } from './index-header.js';
import { headerFileLayout, HeaderFileSource } from './header-file-source.js';
import { CachedIndex } from './cached-index.js';
import { DEFAULT_CHUNK_SIZE_ESTIMATE, fetchChunks } from './chunk-fetcher.js';
import type { IndexCacheStore } from './index-cache.js';
import { chunkSamples, type RequestLimiter } from './limits.js';

/** Postings expanded into series entries (and their chunks fetched) per step. */
export const SERIES_BATCH = 1024;
/** The first batch's size: small, so the first series leave before the whole block is read. */
export const FIRST_SERIES_BATCH = 128;

/** What one block query asks for (matchers already stripped of the block's external labels). */
export interface BlockQuery {
  readonly matchers: readonly MatcherSpec[];
  readonly minTime: number;
  readonly maxTime: number;
  readonly skipChunks: boolean;
  readonly aggregates: readonly Aggr[];
  /** Label names whose removal may reorder series (replica labels): a block carrying them is sorted in memory. */
  readonly reorderLabels: readonly string[];
}

/** Per-call hooks: refetch counting, limits, cancellation. */
export interface QueryContext {
  readonly limiter: RequestLimiter;
  readonly onRefetch?: () => void;
  readonly signal: AbortSignal;
  /** Told the bytes of every bucket read made for this query (postings, series, chunks). */
  readonly observe?: FetchObserver;
}

const ENCODING_NAME: Readonly<Record<number, ChunkEncoding>> = { [Encoding.XOR]: 'XOR', [Encoding.HISTOGRAM]: 'HISTOGRAM', [Encoding.FLOAT_HISTOGRAM]: 'FLOAT_HISTOGRAM' };
const AGGR_PART: Readonly<Record<Exclude<Aggr, 'RAW'>, [number, keyof AggrChunk]>> = {
  COUNT: [0, 'count'], SUM: [1, 'sum'], MIN: [2, 'min'], MAX: [3, 'max'], COUNTER: [4, 'counter'],
};

/** An opened index and what releases its resources (the local index-header file handle). */
interface OpenedIndex { readonly reader: IndexReader; readonly release: () => Promise<void> }

/**
 * One block of the bucket as the store gateway serves it. Loading reads only the index's header,
 * TOC, symbol table and postings offset table (the "index-header": symbols in memory, the postings
 * offset table sampled in memory when asked, its spans then read from the local index-header file
 * or, without one, from the bucket) and the 8-byte
 * header of each chunk segment, all by ranged reads; postings, series entries and chunks are read by
 * range per query, through the index cache. Every series gets the block's external labels
 * (`thanos.labels`, replacing a series label of the same name). Corrupt bytes surface as
 * CorruptError / CorruptIndexError naming the object and offset.
 */
export class StoreBlock {
  readonly id: string;
  readonly extLabels: Labels;
  readonly resolution: number;
  private index: CachedIndex | undefined;
  private opening: Promise<CachedIndex> | undefined;
  /** Releases the loaded index's resources (its index-header file handle). */
  private releaseIndex: (() => Promise<void>) | undefined;
  private closed = false;
  /** Largest chunk record seen so far (bytes), for the size estimate of chunks of unknown length. */
  private largestChunk = 0;
  /** Whether series labels collide with external labels (then output is re-sorted in memory). */
  private collides = false;
  private users = 0;
  private lastUsed: number;
  /** Times the index-header was opened (1 when eager; more when lazily reloaded after idling). */
  loads = 0;
  /** Labels with external labels, per series entry (entries live in the index cache; dropped with them). */
  private readonly withExt = new WeakMap<SeriesEntry, Labels>();

  private constructor(readonly meta: BlockMeta, private readonly segments: readonly ByteSource[], private readonly cache: IndexCacheStore,
    private readonly openReader: () => Promise<OpenedIndex>, private readonly now: () => number) {
    this.id = meta.ulid;
    this.extLabels = labelsFromPairs(Object.entries(meta.thanos?.labels ?? {}).map(([name, value]) => ({ name, value })));
    this.resolution = meta.thanos?.downsample.resolution ?? 0;
    this.lastUsed = now();
  }

  /**
   * Opens the block over the bucket (sizes from meta.json's `thanos.files`, else `attributes`).
   * With `headerPath`, the index-header (the ranges opening the index reads) is taken from that
   * local file when present and valid, else read remotely and written there (best effort). With
   * `lazy`, the index-header is opened on first use instead (a broken index then shows at query time).
   * With `postingOffsetsInMemSampling` N ≥ 1, only every Nth postings offset table entry per label
   * name is kept in memory (the spans between are read from the local index-header file when there
   * is one, else from the bucket); unset or 0: the whole table is decoded in memory.
   */
  static async load(bucket: BucketReader, meta: BlockMeta, cache: IndexCacheStore, o: { headerPath?: string | undefined; lazy?: boolean; postingOffsetsInMemSampling?: number; now?: () => number } = {}): Promise<StoreBlock> {
    const id = meta.ulid;
    const files = new Map((meta.thanos?.files ?? []).map((f) => [f.relPath, f.sizeBytes] as const));
    const sizeOf = async (rel: string) => files.get(rel) ?? (await bucket.attributes(`${id}/${rel}`)).size;
    let chunkNames = [...files.keys()].filter((p) => /^chunks\/\d+$/.test(p));
    if (chunkNames.length === 0) {
      for await (const n of bucket.iter(`${id}/chunks`)) if (/\/chunks\/\d+$/.test(n)) chunkNames.push(n.slice(id.length + 1));
    }
    chunkNames = chunkNames.sort((a, b) => compareUtf8(a, b));
    const indexSrc = bucketSource(bucket, `${id}/index`, await sizeOf('index'));
    const segments = await Promise.all(chunkNames.map(async (rel) => {
      const src = bucketSource(bucket, `${id}/${rel}`, await sizeOf(rel));
      checkSegmentHeader(src.size >= 8 ? await src.read(0, 8) : new Uint8Array(0), src.name, src.size);
      return src;
    }));
    const block = new StoreBlock(meta, segments, cache, () => openIndex(indexSrc, meta, o.headerPath, o.postingOffsetsInMemSampling ?? 0), o.now ?? Date.now);
    if (o.lazy !== true) await block.idx();
    return block;
  }

  /** Whether the index-header is in memory. */
  get indexLoaded(): boolean { return this.index !== undefined; }

  /** The index, opening it if needed (concurrent callers share one open). */
  private async idx(): Promise<CachedIndex> {
    if (this.index !== undefined) return this.index;
    this.opening ??= this.openReader().then(({ reader, release }) => {
      const names = new Set(reader.labelNames());
      // Closed while opening: nothing will release it later.
      if (this.closed) void release(); else this.releaseIndex = release;
      this.collides = this.extLabels.some((l) => names.has(l.name));
      this.index = new CachedIndex(reader, this.id, this.cache);
      this.loads++;
      return this.index;
    }).finally(() => { this.opening = undefined; });
    return this.opening;
  }

  /** Runs `fn` with the index held (it is not unloaded meanwhile), its reads told to `observe`. */
  private async use<T>(fn: (ix: CachedIndex) => Promise<T>, observe?: FetchObserver): Promise<T> {
    this.users++;
    try { return await fn(this.accounted(await this.idx(), observe)); } finally { this.users--; this.lastUsed = this.now(); }
  }

  /** A per-request view of the index whose reads are told to `observe` (the index itself when none). */
  private accounted(index: CachedIndex, observe: FetchObserver | undefined): CachedIndex {
    if (observe === undefined) return index;
    return new CachedIndex(index.reader.withSource(countingSource(index.reader.source, observe)), this.id, this.cache);
  }

  /** Drops the in-memory index-header when nothing used it for `idleMs` (lazy mode); true if it did. */
  unloadIfIdle(idleMs: number): boolean {
    if (this.index === undefined || this.users > 0 || this.now() - this.lastUsed < idleMs) return false;
    this.index = undefined;
    void this.release();
    return true;
  }

  /** Releases the unloaded index's file handle (reads still in flight fall back to the bucket). */
  private async release(): Promise<void> {
    const r = this.releaseIndex;
    this.releaseIndex = undefined;
    await r?.();
  }

  /** Whether [meta.minTime, meta.maxTime) overlaps the closed range [mint, maxt]. */
  overlaps(mint: number, maxt: number): boolean { return this.meta.minTime <= maxt && mint < this.meta.maxTime; }

  /** Whether the closed range covers the whole block (label queries may then skip reading series). */
  covers(mint: number, maxt: number): boolean { return mint <= this.meta.minTime && maxt >= this.meta.maxTime - 1; }

  /**
   * The block's series matching `q`, with chunks overlapping [minTime, maxTime] (series without
   * such chunks are dropped), external labels added, in label order, yielded in batches. Series
   * are counted against the limiter when postings are expanded; samples when chunks arrive.
   */
  async *series(q: BlockQuery, ctx: QueryContext): AsyncGenerator<Series[]> {
    this.users++;
    try {
      const index = await this.accounted(await this.idx(), ctx.observe).forMatchers(q.matchers);
      const postings = await postingsForMatchers(index, q.matchers);
      ctx.limiter.addSeries(postings.length);
      // A label name in the table always has a value: presence is enough.
      const sortAll = this.collides || this.extLabels.some((l) => q.reorderLabels.includes(l.name))
        || (q.reorderLabels.length > 0 && index.reader.labelNames().some((n) => q.reorderLabels.includes(n)));
      const held: Series[] = [];
      const load = (from: number, to: number) => index.seriesMany(postings.subarray(from, to)).then((entries) => this.materialize(entries, q, ctx));
      // Batches grow from FIRST_SERIES_BATCH to SERIES_BATCH (the first series leave early, so the
      // caller's work overlaps this read), and the next batch is read while this one is consumed.
      let size = sortAll ? SERIES_BATCH : FIRST_SERIES_BATCH;
      let next: Promise<Series[]> | undefined = postings.length > 0 ? load(0, size) : undefined;
      try {
        for (let i = 0; next !== undefined;) {
          const batch: Series[] = await next;
          next = undefined;
          i += size;
          if (ctx.signal.aborted) return;
          if (i < postings.length) {
            size = Math.min(size * 2, SERIES_BATCH);
            next = load(i, i + size);
            // Handled now (it may fail while the caller holds this batch); awaited above next time.
            next.catch(() => undefined);
          }
          if (sortAll) held.push(...batch); else if (batch.length > 0) yield batch;
        }
      } finally {
        // A read still in flight when the caller stops: settle it here (its failure is moot).
        if (next !== undefined) await next.catch(() => undefined);
      }
      if (sortAll && held.length > 0) yield held.sort((a, b) => compareLabels(a.labels, b.labels));
    } finally {
      this.users--;
      this.lastUsed = this.now();
    }
  }

  private async materialize(entries: readonly SeriesEntry[], q: BlockQuery, ctx: QueryContext): Promise<Series[]> {
    const picked: { labels: Labels; chunks: SeriesEntry['chunks'] }[] = [];
    for (const e of entries) {
      let chunks = e.chunks;
      for (const c of e.chunks) {
        if (c.maxt < q.minTime || c.mint > q.maxTime) { chunks = e.chunks.filter((x) => x.maxt >= q.minTime && x.mint <= q.maxTime); break; }
      }
      if (chunks.length > 0) picked.push({ labels: this.labelsOf(e), chunks });
    }
    if (q.skipChunks) return picked.map((p) => ({ labels: p.labels, chunks: [] }));
    const refs: number[] = [];
    // sizes[i]: the exact record size of refs[i] when known, else 0 (the estimate is used).
    const sizes: number[] = [];
    for (const p of picked) {
      const cs = p.chunks;
      for (let i = 0; i < cs.length; i++) {
        const ref = cs[i]!.ref;
        refs.push(ref);
        // A series' chunks are written back to back: the next one's ref bounds this record exactly.
        const next = cs[i + 1];
        if (next !== undefined && refSegment(next.ref) === refSegment(ref) && next.ref > ref) {
          const size = next.ref - ref;
          sizes.push(size);
          if (size > this.largestChunk) this.largestChunk = size;
        } else sizes.push(0);
      }
    }
    const segments = ctx.observe === undefined ? this.segments : this.segments.map((src) => countingSource(src, ctx.observe!));
    const got = await fetchChunks(segments, refs, { sizeEstimate: this.chunkEstimate(), ...(ctx.onRefetch ? { onRefetch: ctx.onRefetch } : {}) }, sizes);
    for (const sc of got) if (sc.data.length + 10 > this.largestChunk) this.largestChunk = sc.data.length + 10;
    const out: Series[] = new Array(picked.length);
    for (let k = 0, at = 0; k < picked.length; k++) {
      const p = picked[k]!;
      const chunks: AggrChunk[] = [];
      for (const c of p.chunks) {
        const a = this.toAggrChunk(c.mint, c.maxt, got[at++]!, q.aggregates, ctx);
        if (a !== undefined) chunks.push(a);
      }
      out[k] = { labels: p.labels, chunks };
    }
    return out;
  }

  /** A series entry's labels with the external labels added, computed once per (cached) entry. */
  private labelsOf(e: SeriesEntry): Labels {
    if (this.extLabels.length === 0) return e.labels;
    let ls = this.withExt.get(e);
    if (ls === undefined) { ls = this.withExternal(e.labels); this.withExt.set(e, ls); }
    return ls;
  }

  /**
   * Bytes read for a chunk whose length is unknown: `index_stats.chunk_max_size` from meta.json when
   * present, else twice the largest record seen in this block, else Thanos's 16000; a longer record
   * is re-read exactly.
   */
  private chunkEstimate(): number {
    const max = this.meta.thanos?.indexStats?.chunkMaxSize;
    if (max) return Math.min(max + 16, DEFAULT_CHUNK_SIZE_ESTIMATE);
    return this.largestChunk > 0 ? Math.min(2 * this.largestChunk, DEFAULT_CHUNK_SIZE_ESTIMATE) : DEFAULT_CHUNK_SIZE_ESTIMATE;
  }

  private toAggrChunk(minTime: number, maxTime: number, sc: StoredChunk, aggregates: readonly Aggr[], ctx: QueryContext): AggrChunk | undefined {
    if (this.resolution === 0 || sc.encoding !== Encoding.AGGR) {
      ctx.limiter.addSamples(chunkSamples(sc.encoding, sc.data));
      return { minTime, maxTime, raw: { type: ENCODING_NAME[sc.encoding] ?? 'XOR', data: sc.data } };
    }
    const parts = decodeAggrChunk(sc.data, { file: `${this.id}/chunks`, offset: -1 });
    const want = aggregates.filter((a): a is Exclude<Aggr, 'RAW'> => a !== 'RAW');
    const out: Record<string, unknown> = { minTime, maxTime };
    let counted = false;
    for (const a of want.length > 0 ? want : (['COUNT', 'SUM', 'MIN', 'MAX', 'COUNTER'] as const)) {
      const [i, key] = AGGR_PART[a];
      const p = parts[i];
      if (p === undefined) continue;
      if (!counted) { ctx.limiter.addSamples(chunkSamples(p.encoding, p.data)); counted = true; }
      out[key] = { type: ENCODING_NAME[p.encoding] ?? 'XOR', data: p.data } satisfies Chunk;
    }
    return counted ? out as unknown as AggrChunk : undefined;
  }

  /** Series labels with the external labels added (external wins on a name clash). */
  withExternal(ls: Labels): Labels {
    if (this.extLabels.length === 0) return ls;
    return labelsFromPairs([...ls.filter((l) => !this.extLabels.some((e) => e.name === l.name)), ...this.extLabels]);
  }

  /** Label names of series selected by `matchers` with data in [mint, maxt], external names included. */
  labelNames(matchers: readonly MatcherSpec[], mint: number, maxt: number, observe?: FetchObserver): Promise<string[]> {
    return this.use(async (index) => {
      const names = new Set<string>();
      if (this.covers(mint, maxt)) {
        const base = matchers.length === 0 ? index.reader.labelNames() : await labelNamesFor(await index.forMatchers(matchers), matchers);
        if (base.length === 0 && matchers.length > 0) return [];
        for (const n of base) names.add(n);
      } else {
        const sel = await selectedInRange(index, matchers, mint, maxt);
        if (sel.length === 0) return [];
        for (const e of sel) for (const l of e.labels) names.add(l.name);
      }
      for (const l of this.extLabels) names.add(l.name);
      return [...names];
    }, observe);
  }

  /** Values of `name` on series selected by `matchers` with data in [mint, maxt]. */
  labelValues(name: string, matchers: readonly MatcherSpec[], mint: number, maxt: number, observe?: FetchObserver): Promise<string[]> {
    return this.use(async (index) => {
      const ext = this.extLabels.find((l) => l.name === name);
      if (this.covers(mint, maxt)) {
        if (ext !== undefined) {
          const any = matchers.length === 0 ? (await index.allPostings()).length > 0 : (await postingsForMatchers(await index.forMatchers(matchers), matchers)).length > 0;
          return any ? [ext.value] : [];
        }
        return matchers.length === 0 ? [...await index.labelValuesAsync(name)] : labelValuesFor(await index.forMatchers(matchers, [name]), name, matchers);
      }
      const values = new Set<string>();
      for (const e of await selectedInRange(index, matchers, mint, maxt)) {
        const v = ext?.value ?? e.labels.find((l) => l.name === name)?.value;
        if (v !== undefined && v !== '') values.add(v);
      }
      return [...values];
    }, observe);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.index = undefined;
    await this.release();
    await Promise.all(this.segments.map((s) => s.close()));
  }
}

/**
 * Opens the index through the local index-header when there is a usable one; writes it otherwise.
 * With `sampling` ≥ 1 the reader keeps every `sampling`-th postings offset table entry and reads the
 * table spans through a HeaderFileSource over the index-header file (remote when there is none).
 */
async function openIndex(remote: ByteSource, meta: BlockMeta, headerPath: string | undefined, sampling: number): Promise<OpenedIndex> {
  const spans = new HeaderFileSource(remote);
  const opts = {
    ...(meta.thanos?.indexStats?.seriesMaxSize ? { seriesSizeHint: meta.thanos.indexStats.seriesMaxSize } : {}),
    ...(sampling >= 1 ? { postingsOffsetsSampling: sampling, postingsTableSource: spans } : {}),
  };
  let local = headerPath === undefined ? undefined : await readIndexHeader(headerPath, remote.size).catch(() => undefined);
  for (;;) {
    const src = new HeaderSource(remote, local ?? []);
    try {
      const reader = await IndexReader.open(src, opts);
      let onDisk: readonly HeaderRange[] | undefined = local;
      if (headerPath !== undefined && src.remoteReads > 0 && src.reads !== undefined) {
        const ranges = src.reads;
        onDisk = await writeIndexHeader(headerPath, remote.size, ranges).then(() => ranges, () => undefined);
      }
      src.release();
      if (sampling >= 1 && headerPath !== undefined && onDisk !== undefined) await spans.attach(headerPath, headerFileLayout(onDisk));
      return { reader, release: () => spans.close() };
    } catch (err) {
      if (local === undefined || headerPath === undefined) throw err;
      // A damaged local header must not hide a good remote index: drop it and read remotely.
      await rm(headerPath, { force: true });
      local = undefined;
    }
  }
}

/** Series selected by `matchers` having a chunk overlapping [mint, maxt]. */
async function selectedInRange(index: CachedIndex, matchers: readonly MatcherSpec[], mint: number, maxt: number): Promise<SeriesEntry[]> {
  const ps = matchers.length === 0 ? await index.allPostings() : await postingsForMatchers(await index.forMatchers(matchers), matchers);
  const out: SeriesEntry[] = [];
  for (let i = 0; i < ps.length; i += SERIES_BATCH) {
    for (const e of await index.seriesMany(ps.subarray(i, i + SERIES_BATCH))) {
      if (e.chunks.some((c) => c.maxt >= mint && c.mint <= maxt)) out.push(e);
    }
  }
  return out;
}
