import type { IndexReader } from '../shared/tsdb/index/reader.js';
import type { LabelQuerySource } from '../shared/tsdb/index/label-queries.js';
import { namesNeedingValues } from '../shared/tsdb/index/matchers.js';
import type { MatcherSpec } from '../shared/labels/matcher.js';
import { EMPTY_POSTINGS, mergePostings, type Postings } from '../shared/tsdb/index/postings.js';
import type { SeriesEntry } from '../shared/tsdb/index/series.js';
import type { IndexCacheStore } from './index-cache.js';

/**
 * One block's index seen through the index cache: postings lists and series entries are looked up
 * in the cache first and only the misses are read from the (remote) index, in one coalesced pass
 * (the IndexReader merges nearby ranges). Implements the source `postingsForMatchers` and the label
 * queries need, so Prometheus's matcher semantics apply unchanged.
 *
 * Over a sampled reader (postings offset table sampled in memory) the sync `labelValues` answers
 * only for names loaded beforehand: use `forMatchers` / `withValues` to get a view that has them
 * (loaded per call with `labelValuesAsync`, nothing kept between calls); any other name throws.
 */
export class CachedIndex implements LabelQuerySource {
  constructor(readonly reader: IndexReader, private readonly block: string, private readonly cache: IndexCacheStore,
    private readonly loaded?: ReadonlyMap<string, readonly string[]>) {}

  labelValues(name: string): readonly string[] {
    const got = this.loaded?.get(name);
    return got ?? this.reader.labelValues(name);
  }

  /** Values of `name` in UTF-8 byte order, read from the index-header when sampled. */
  labelValuesAsync(name: string): Promise<readonly string[]> {
    const got = this.loaded?.get(name);
    return got !== undefined ? Promise.resolve(got) : this.reader.labelValuesAsync(name);
  }

  /** This index with the values of `names` loaded (itself when the reader is not sampled). */
  async withValues(names: readonly string[]): Promise<CachedIndex> {
    if (!this.reader.isSampled) return this;
    const vals = new Map(this.loaded);
    for (const n of names) if (!vals.has(n)) vals.set(n, await this.reader.labelValuesAsync(n));
    return new CachedIndex(this.reader, this.block, this.cache, vals);
  }

  /** This index ready for `postingsForMatchers(…, matchers)` (and label queries on `extra` names). */
  forMatchers(matchers: readonly MatcherSpec[], extra: readonly string[] = []): Promise<CachedIndex> {
    return this.reader.isSampled ? this.withValues([...extra, ...namesNeedingValues(matchers)]) : Promise.resolve(this);
  }

  async postingsFor(name: string, values: readonly string[]): Promise<Postings> {
    const lists = await this.postingsEach(name, values);
    return lists.length === 0 ? EMPTY_POSTINGS : mergePostings(lists);
  }

  allPostings(): Promise<Postings> { return this.postingsFor('', ['']); }

  async postingsEach(name: string, values: readonly string[]): Promise<Postings[]> {
    const out = new Array<Postings>(values.length);
    const missIdx: number[] = [];
    // Sampled without the values loaded: every value is asked of the cache, absent ones read as empty
    // lists from the index (and not stored).
    const loaded = name === '' ? undefined : this.reader.isSampled ? this.loaded?.get(name) : this.reader.labelValues(name);
    const known = loaded === undefined ? undefined : new Set(loaded);
    const ask = known === undefined ? values : values.filter((v) => known.has(v));
    const hits = ask.length === 0 ? new Map<string, Postings>() : await this.cache.fetchPostings(this.block, name, ask);
    values.forEach((v, i) => {
      if (known !== undefined && !known.has(v)) { out[i] = EMPTY_POSTINGS; return; }
      const hit = hits.get(v);
      if (hit !== undefined) out[i] = hit; else missIdx.push(i);
    });
    if (missIdx.length > 0) {
      const lists = name === '' ? [await this.reader.allPostings()] : await this.reader.postingsEach(name, missIdx.map((i) => values[i]!));
      missIdx.forEach((i, k) => {
        out[i] = lists[k]!;
        if (known !== undefined || name === '' || lists[k]!.length > 0) this.cache.storePostings(this.block, name, values[i]!, lists[k]!);
      });
    }
    return out;
  }

  async seriesMany(refs: ArrayLike<number>): Promise<SeriesEntry[]> {
    const out = new Array<SeriesEntry>(refs.length);
    const miss: number[] = [];
    const hits = await this.cache.fetchSeries(this.block, refs);
    for (let i = 0; i < refs.length; i++) {
      const hit = hits.get(refs[i]!);
      if (hit !== undefined) out[i] = hit; else miss.push(i);
    }
    if (miss.length > 0) {
      const got = await this.reader.seriesMany(miss.map((i) => refs[i]!));
      miss.forEach((i, k) => {
        out[i] = got[k]!;
        this.cache.storeSeries(this.block, refs[i]!, got[k]!);
      });
    }
    return out;
  }
}
