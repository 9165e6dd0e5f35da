import { compareLabels, compareUtf8, type Labels } from '../../labels/labels.js';
import type { Matcher } from '../../labels/matcher.js';
import { openBlocks, selectMerged } from '../../tsdb/block/dump.js';
import type { BlockReader } from '../../tsdb/block/reader.js';
import type { MetadataQueryable, Queryable, SelectHints, SeriesData } from './queryable.js';

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('selecting from blocks: aborted');
}

/**
 * A `Queryable` (and `MetadataQueryable`) over local TSDB blocks, as a Prometheus querier over a
 * data directory sees them: only blocks whose [minTime, maxTime) overlaps the selection are read;
 * a label set present in several blocks is merged into one series (a timestamp in several blocks is
 * kept once, earliest block wins); samples are trimmed to [hints.startMs, hints.endMs]; series left
 * without samples are dropped; output is sorted by labels. Stale markers keep their bits.
 *
 * Errors are the block reader's (BlockError, CorruptIndexError, CorruptError with file/offset). An
 * aborted `signal` throws its reason. Readers passed to `fromReaders` stay owned by the caller;
 * `open` owns its readers and `close()` releases them.
 */
export class BlockQueryable implements Queryable, MetadataQueryable {
  private constructor(private readonly blocks: readonly BlockReader[], private readonly owned: boolean) {}

  /** Opens every block of a data directory (ULID-named sub-directories). */
  static async open(dataDir: string): Promise<BlockQueryable> {
    return new BlockQueryable(await openBlocks(dataDir), true);
  }

  /** Wraps already opened readers (not closed by `close()`). */
  static fromReaders(blocks: readonly BlockReader[]): BlockQueryable {
    return new BlockQueryable([...blocks].sort((a, b) => a.meta.minTime - b.meta.minTime), false);
  }

  /** Number of blocks served. */
  get blockCount(): number { return this.blocks.length; }

  async select(matchers: readonly Matcher[], hints: SelectHints, signal?: AbortSignal): Promise<SeriesData[]> {
    checkAborted(signal);
    const merged = await selectMerged(this.blocks, matchers, hints.startMs, hints.endMs);
    const out: SeriesData[] = [];
    for (const s of merged) {
      checkAborted(signal);
      const { ts, vs } = await s.samples();
      if (ts.length > 0) out.push({ labels: s.labels, ts, vs });
    }
    return out;
  }

  async series(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<Labels[]> {
    const byKey = new Map<string, Labels>();
    for (const ms of matcherSets) {
      checkAborted(signal);
      for (const s of await selectMerged(this.blocks, ms, startMs, endMs)) byKey.set(JSON.stringify(s.labels), s.labels);
    }
    return [...byKey.values()].sort(compareLabels);
  }

  async labelNames(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<string[]> {
    const names = new Set<string>();
    if (matcherSets.length === 0) {
      for (const b of this.blocks) if (b.overlaps(startMs, endMs)) for (const n of b.labelNames()) names.add(n);
    } else {
      for (const ls of await this.series(matcherSets, startMs, endMs, signal)) for (const l of ls) names.add(l.name);
    }
    return sortUtf8(names);
  }

  async labelValues(name: string, matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<string[]> {
    const values = new Set<string>();
    if (matcherSets.length === 0) {
      for (const b of this.blocks) if (b.overlaps(startMs, endMs)) for (const v of b.labelValues(name)) values.add(v);
    } else {
      for (const ls of await this.series(matcherSets, startMs, endMs, signal)) for (const l of ls) if (l.name === name) values.add(l.value);
    }
    values.delete('');
    return sortUtf8(values);
  }

  /** Closes the readers opened by `open` (no-op for `fromReaders`). */
  async close(): Promise<void> {
    if (this.owned) await Promise.all(this.blocks.map((b) => b.close()));
  }
}

function sortUtf8(s: Set<string>): string[] {
  return [...s].sort(compareUtf8);
}
