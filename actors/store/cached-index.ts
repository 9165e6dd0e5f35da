import type { IndexReader } from '../shared/tsdb/index/reader.js';
import type { LabelQuerySource } from '../shared/tsdb/index/label-queries.js';
import { EMPTY_POSTINGS, mergePostings, type Postings } from '../shared/tsdb/index/postings.js';
import type { SeriesEntry } from '../shared/tsdb/index/series.js';
import type { IndexCacheStore } from './index-cache.js';

/**
 * One block's index seen through the index cache: postings lists and series entries are looked up
 * in the cache first and only the misses are read from the (remote) index, in one coalesced pass
 * (the IndexReader merges nearby ranges). Implements the source `postingsForMatchers` and the label
 * queries need, so Prometheus's matcher semantics apply unchanged.
 */
export class CachedIndex implements LabelQuerySource {
  constructor(readonly reader: IndexReader, private readonly block: string, private readonly cache: IndexCacheStore) {}

  labelValues(name: string): readonly string[] { return this.reader.labelValues(name); }

  async postingsFor(name: string, values: readonly string[]): Promise<Postings> {
    const lists = await this.postingsEach(name, values);
    return lists.length === 0 ? EMPTY_POSTINGS : mergePostings(lists);
  }

  allPostings(): Promise<Postings> { return this.postingsFor('', ['']); }

  async postingsEach(name: string, values: readonly string[]): Promise<Postings[]> {
    const out = new Array<Postings>(values.length);
    const missIdx: number[] = [];
    const known = name === '' ? undefined : new Set(this.reader.labelValues(name));
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
        this.cache.storePostings(this.block, name, values[i]!, lists[k]!);
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
