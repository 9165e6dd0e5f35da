import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { CancelledError } from '../../runtime/errors/runtime-errors.js';
import type { Logger } from '../../runtime/log/logger.js';
import { metricsFor } from '../../runtime/metrics/registry.js';
import { MetaFetcher, type FetchResult, type MetaFilter } from '../shared/block/fetcher.js';
import { consistencyDelayFilter, deduplicateFilter, ignoreDeletionMarkFilter, labelShardFilter, timePartitionFilter } from '../shared/block/filters.js';
import { parseTimeFlag, resolveTimeFlag, MAX_TIME_DEFAULT, MIN_TIME_DEFAULT, type TimeFlag } from '../shared/block/time-flag.js';
import { compareLabels, compareUtf8, labelsKey, type Labels } from '../shared/labels/labels.js';
import type { RelabelConfig } from '../shared/labels/relabel.js';
import type { BucketReader } from '../shared/objstore/bucket.js';
import type {
  InfoResponse, LabelNamesRequest, LabelNamesResponse, LabelValuesRequest, LabelValuesResponse, SeriesFrame, SeriesRequest,
} from '../shared/storeapi/protocol.js';
import type { StoreAPI } from '../shared/storeapi/storeapi.js';
import { MAX_TIME, MIN_TIME, type Series } from '../shared/storeapi/types.js';
import { parseLabelNamesRequest, parseLabelValuesRequest, parseSeriesRequest } from '../shared/storeapi/validate-request.js';
import { blockMatches, matchersForBlock, selectBlocks } from './block-select.js';
import { StoreBlock } from './block-source.js';
import type { FetchObserver } from './bucket-source.js';
import { IndexCache, type IndexCacheStore } from './index-cache.js';
import { RequestLimiter, type RequestLimits } from './limits.js';
import { SeriesFrameWriter } from './frames.js';
import { mergeSeries } from './series-merge.js';
import { storeMetrics, type StoreMetrics } from './metrics.js';

export interface BucketStoreOptions {
  readonly bucket: BucketReader;
  /** Local directory for meta.json copies (`<dataDir>/meta-syncer`) and index-headers (`<dataDir>/<block>/index-header`); none when absent. */
  readonly dataDir?: string;
  readonly indexCache?: IndexCacheStore;
  readonly registry?: Registry;
  readonly log?: Logger;
  /** `--min-time` / `--max-time` (RFC3339 or relative duration; defaults: unbounded). */
  readonly minTime?: TimeFlag;
  readonly maxTime?: TimeFlag;
  /** `--selector.relabel-config`: relabel over {external labels, __block_id}; empty result drops the block. */
  readonly relabel?: readonly RelabelConfig[];
  readonly consistencyDelayMs?: number;
  /** `--ignore-deletion-marks-delay` (default 24h). */
  readonly ignoreDeletionMarksDelayMs?: number;
  /** `--block-sync-concurrency` (default 20). */
  readonly blockSyncConcurrency?: number;
  readonly limits?: Partial<RequestLimits>;
  /** `--store.enable-index-header-lazy-reader`: open a block's index-header on first use, drop it when idle. */
  readonly lazyIndexHeader?: boolean;
  /** `--store.index-header-lazy-reader-idle-timeout` (default 5m; 0 = never unload). */
  readonly lazyIdleTimeoutMs?: number;
  /** `--store.index-header-posting-offsets-in-mem-sampling`: keep every Nth postings offset table entry in memory (default 32; 1 = all; 0 = decode the whole table, no sampling). */
  readonly postingOffsetsInMemSampling?: number;
  readonly now?: () => number;
}

/** Outcome of one sync. */
export interface SyncReport {
  readonly loaded: readonly string[];
  /** Blocks whose meta.json or data could not be read (skipped), with the reason. */
  readonly failed: ReadonlyMap<string, Error>;
  /** Block directories without meta.json. */
  readonly partial: ReadonlySet<string>;
  readonly states: FetchResult['states'];
}

/**
 * The store gateway's StoreAPI over a bucket. `sync()` lists blocks with the MetaFetcher and
 * Thanos's filters (time partition → label shard → consistency delay → deletion marks →
 * duplicates), loads new blocks (index-header by ranged reads, `blockSyncConcurrency` at a time) and
 * drops vanished ones; a block that fails to load is logged, counted
 * (`athanor_bucket_store_block_load_failures_total`) and skipped, and retried at the next sync.
 * Series: per block, matchers → postings (index cache) → series entries → chunks by range through
 * the gap partitioner; blocks merged in label order, a series in several blocks returned once with
 * all its chunks; frames streamed in batches. A block failing mid-query becomes a `warning` frame.
 */
export class BucketStore implements StoreAPI {
  private blocks = new Map<string, StoreBlock>();
  private readonly fetcher: MetaFetcher;
  private readonly cache: IndexCacheStore;
  private readonly m: StoreMetrics | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly minT: TimeFlag;
  private readonly maxT: TimeFlag;
  private infoKey = '';

  constructor(private readonly o: BucketStoreOptions) {
    this.minT = o.minTime ?? parseTimeFlag(MIN_TIME_DEFAULT, 'min-time');
    this.maxT = o.maxTime ?? parseTimeFlag(MAX_TIME_DEFAULT, 'max-time');
    const filters: MetaFilter[] = [
      timePartitionFilter(this.minT, this.maxT),
      labelShardFilter(o.relabel ?? []),
      consistencyDelayFilter(o.consistencyDelayMs ?? 0),
      ignoreDeletionMarkFilter(o.ignoreDeletionMarksDelayMs ?? 24 * 3600_000),
      deduplicateFilter(),
    ];
    this.fetcher = new MetaFetcher({
      bucket: o.bucket, filters, ...(o.dataDir ? { cacheDir: `${o.dataDir}/meta-syncer` } : {}),
      ...(o.registry ? { registry: o.registry } : {}), ...(o.now ? { now: o.now } : {}),
    });
    this.cache = o.indexCache ?? new IndexCache(o.registry ? { registry: o.registry } : {});
    this.m = o.registry ? storeMetrics(metricsFor(o.registry)) : undefined;
    const idle = o.lazyIdleTimeoutMs ?? 5 * 60_000;
    if (o.lazyIndexHeader === true && idle > 0) {
      this.idleTimer = setInterval(() => this.unloadIdle(), Math.max(1000, Math.floor(idle / 10)));
      this.idleTimer.unref();
    }
  }

  private idleTimer: NodeJS.Timeout | undefined;

  /** Drops the index-headers of blocks idle for the lazy-reader timeout (runs every timeout/10 in lazy mode); returns how many. */
  unloadIdle(): number {
    const idle = this.o.lazyIdleTimeoutMs ?? 5 * 60_000;
    let n = 0;
    for (const b of this.blocks.values()) if (b.unloadIfIdle(idle)) n++;
    if (n > 0) this.m?.lazyUnloads.inc(n);
    return n;
  }

  /** Blocks whose index-header is in memory now. */
  get indexHeadersLoaded(): number { return [...this.blocks.values()].filter((b) => b.indexLoaded).length; }

  /** IDs of the blocks currently served. */
  get loadedBlocks(): string[] { return [...this.blocks.keys()].sort(); }

  /** Subscribes to Info changes (label sets or time range); returns the unsubscribe function. */
  onInfoChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** One sync pass (see the class comment). Never throws for a bad block; throws if the bucket cannot be listed. */
  async sync(signal?: AbortSignal): Promise<SyncReport> {
    const res = await this.fetcher.fetch(signal);
    const failed = new Map<string, Error>(res.failed);
    for (const [id, b] of this.blocks) {
      if (!res.metas.has(id)) {
        this.blocks.delete(id);
        this.m?.drops.inc();
        await b.close().catch(() => undefined);
        if (this.o.dataDir) await rm(join(this.o.dataDir, id), { recursive: true, force: true }).catch(() => undefined);
      }
    }
    const todo = [...res.metas.values()].filter((m) => !this.blocks.has(m.ulid));
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const meta = todo[next++]!;
        try {
          this.blocks.set(meta.ulid, await StoreBlock.load(this.o.bucket, meta, this.cache, {
            headerPath: this.o.dataDir ? join(this.o.dataDir, meta.ulid, 'index-header') : undefined,
            lazy: this.o.lazyIndexHeader === true, postingOffsetsInMemSampling: this.o.postingOffsetsInMemSampling ?? 32, ...(this.o.now ? { now: this.o.now } : {}),
          }));
          this.m?.loads.inc();
        } catch (err) {
          failed.set(meta.ulid, err as Error);
          this.m?.loadFailures.inc();
          this.o.log?.warn({ block: meta.ulid, err }, 'loading block failed; skipping it');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.blockSyncConcurrency ?? 20, todo.length) }, worker));
    for (const [id, err] of res.failed) this.o.log?.warn({ block: id, err }, 'reading block meta.json failed; skipping it');
    this.m?.loaded.set(this.blocks.size);
    this.notifyIfInfoChanged();
    return { loaded: this.loadedBlocks, failed, partial: res.partial, states: res.states };
  }

  /**
   * Syncs every `intervalMs` until `signal` aborts; `onSynced` runs after each pass (the first one
   * marks the process ready). A failed pass is logged and retried — until the first success with a
   * backoff from 1 s doubling to 30 s (never more than `intervalMs`), so a bucket that is briefly
   * unreachable at start does not delay readiness by a whole interval.
   */
  async runSyncLoop(intervalMs: number, signal: AbortSignal, onSynced?: (r: SyncReport) => void): Promise<void> {
    let synced = false;
    let backoff = 1000;
    while (!signal.aborted) {
      let wait = intervalMs;
      try {
        onSynced?.(await this.sync(signal));
        synced = true;
      } catch (err) {
        if (signal.aborted) break;
        this.m?.syncFailures.inc();
        this.o.log?.error({ err }, 'syncing blocks failed');
        if (!synced) { wait = Math.min(intervalMs, backoff); backoff = Math.min(backoff * 2, 30_000); }
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, wait);
        function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  async info(signal?: AbortSignal): Promise<InfoResponse> {
    check(signal, 'info');
    const { labelSets, minTime, maxTime } = this.advertised();
    return {
      kind: 'storeapi.info', labelSets, componentType: 'store',
      store: {
        minTime, maxTime, supportsSharding: false, supportsWithoutReplicaLabels: true,
        tsdbInfos: labelSets.map((labels) => ({ labels, minTime, maxTime })),
      },
    };
  }

  series(req: SeriesRequest, signal: AbortSignal): AsyncIterable<SeriesFrame> {
    return this.stream(req, signal);
  }

  private async *stream(input: SeriesRequest, signal: AbortSignal): AsyncGenerator<SeriesFrame> {
    const req = parseSeriesRequest(input);
    check(signal, 'series');
    const [lo, hi] = this.window();
    const minTime = Math.max(req.minTime, lo), maxTime = Math.min(req.maxTime, hi);
    const limiter = this.limiter();
    // Every bucket read made for this request (postings, series, chunks) counts against its byte limit.
    const observe = (_o: string, n: number) => limiter.addBytes(n);
    const warnings: string[] = [];
    const queried: string[] = [];
    const streams: { id: string; it: AsyncIterator<Series[]> }[] = [];
    const candidates = [...this.blocks.values()].filter((b) => blockMatches(b, req.hints?.blockMatchers ?? []));
    for (const sel of minTime > maxTime ? [] : selectBlocks(candidates, minTime, maxTime, req.maxResolutionWindow)) {
      const b = sel.block;
      const matchers = matchersForBlock(b, req.matchers);
      if (matchers === undefined) continue;
      queried.push(b.id);
      const it = b.series({ matchers, minTime: sel.minTime, maxTime: sel.maxTime, skipChunks: req.skipChunks, aggregates: req.aggregates, reorderLabels: req.withoutReplicaLabels },
        { limiter, signal, observe, onRefetch: () => this.m?.chunkRefetches.inc() });
      streams.push({ id: b.id, it });
    }
    const onError = (id: string, err: unknown): boolean => {
      if (signal.aborted || isLimitError(err)) return false;
      this.m?.queryFailures.inc();
      this.o.log?.warn({ block: id, err }, 'reading block failed during a query; answering without it');
      warnings.push(`store: reading block ${id} failed: ${(err as Error).message}`.slice(0, 16_000));
      return true;
    };
    const out = new SeriesFrameWriter(req.responseBatchSize);
    let sent = 0;
    const merged = mergeSeries(streams, req.withoutReplicaLabels, onError);
    try {
      outer: for (;;) {
        const step = await merged.next();
        if (step.done === true) break;
        check(signal, 'series');
        while (warnings.length > 0) yield { kind: 'warning', message: warnings.shift()! };
        for (const s of step.value) {
          const frame = out.add(s);
          if (frame !== undefined) { check(signal, 'series'); yield frame; }
          if (req.limit > 0 && ++sent >= req.limit) break outer;
        }
      }
    } catch (err) {
      if (isLimitError(err)) this.m?.queriesDropped.inc({ reason: LIMIT_REASON[(err as { code: string }).code]! });
      throw err;
    } finally {
      await merged.return(undefined);
    }
    check(signal, 'series');
    const last = out.flush();
    if (last !== undefined) yield last;
    for (const w of warnings) yield { kind: 'warning', message: w };
    // Response hints only for callers that sent request hints (they asked about blocks).
    if (req.hints !== undefined) {
      yield { kind: 'hints', hints: { queriedBlocks: queried, ...(req.hints.enableQueryStats ? { queryStats: { blocksQueried: queried.length, fetchedBytes: limiter.fetchedBytes, touchedSeries: limiter.touchedSeries } } : {}) } };
    }
  }

  async labelNames(input: LabelNamesRequest, signal: AbortSignal): Promise<LabelNamesResponse> {
    const req = parseLabelNamesRequest(input);
    check(signal, 'label names');
    const names = new Set<string>();
    const warnings = await this.eachBlock(req.start, req.end, req.matchers, req.hints?.blockMatchers ?? [], async (b, ms, observe) => {
      for (const n of await b.labelNames(ms, req.start, req.end, observe)) if (!req.withoutReplicaLabels.includes(n)) names.add(n);
    });
    check(signal, 'label names');
    return { kind: 'storeapi.labelNames.result', names: sortedLimited(names, req.limit), warnings };
  }

  async labelValues(input: LabelValuesRequest, signal: AbortSignal): Promise<LabelValuesResponse> {
    const req = parseLabelValuesRequest(input);
    check(signal, 'label values');
    const values = new Set<string>();
    const warnings = req.withoutReplicaLabels.includes(req.label) ? [] : await this.eachBlock(req.start, req.end, req.matchers, req.hints?.blockMatchers ?? [], async (b, ms, observe) => {
      for (const v of await b.labelValues(req.label, ms, req.start, req.end, observe)) values.add(v);
    });
    check(signal, 'label values');
    return { kind: 'storeapi.labelValues.result', values: sortedLimited(values, req.limit), warnings };
  }

  /** Runs `fn` on every raw block overlapping [start, end] whose external labels pass the matchers; failures become warnings. */
  private async eachBlock(start: number, end: number, matchers: LabelNamesRequest['matchers'], blockMatchers: LabelNamesRequest['matchers'],
    fn: (b: StoreBlock, ms: LabelNamesRequest['matchers'], observe: FetchObserver) => Promise<void>): Promise<string[]> {
    const warnings: string[] = [];
    const [lo, hi] = this.window();
    const mint = Math.max(start, lo), maxt = Math.min(end, hi);
    const limiter = this.limiter();
    const observe = (_o: string, n: number) => limiter.addBytes(n);
    await Promise.all([...this.blocks.values()].map(async (b) => {
      if (mint > maxt || !b.overlaps(mint, maxt) || !blockMatches(b, blockMatchers)) return;
      const ms = matchers.length === 0 ? [] : matchersForBlock(b, matchers);
      if (ms === undefined) return;
      try { await fn(b, ms, observe); } catch (err) {
        if (isLimitError(err)) throw err;
        this.m?.queryFailures.inc();
        this.o.log?.warn({ block: b.id, err }, 'reading block failed during a label query; answering without it');
        warnings.push(`store: reading block ${b.id} failed: ${(err as Error).message}`.slice(0, 16_000));
      }
    })).catch((err: unknown) => {
      if (isLimitError(err)) this.m?.queriesDropped.inc({ reason: LIMIT_REASON[(err as { code: string }).code]! });
      throw err;
    });
    return warnings;
  }

  private limiter(): RequestLimiter {
    const l = this.o.limits;
    return new RequestLimiter({ series: l?.series ?? 0, samples: l?.samples ?? 0, bytes: l?.bytes ?? 0 });
  }

  /** The time window of `--min-time/--max-time`, resolved now. */
  private window(): [number, number] {
    const now = (this.o.now ?? Date.now)();
    return [Math.max(MIN_TIME, resolveTimeFlag(this.minT, now)), Math.min(MAX_TIME, resolveTimeFlag(this.maxT, now))];
  }

  private advertised(): { labelSets: Labels[]; minTime: number; maxTime: number } {
    const sets = new Map<string, Labels>();
    let min = MAX_TIME, max = MIN_TIME;
    for (const b of this.blocks.values()) {
      if (b.extLabels.length > 0) sets.set(labelsKey(b.extLabels), b.extLabels);
      min = Math.min(min, b.meta.minTime);
      max = Math.max(max, b.meta.maxTime - 1);
    }
    const [lo, hi] = this.window();
    const labelSets = [...sets.values()].sort(compareLabels);
    if (min > max) return { labelSets, minTime: 0, maxTime: 0 };
    return { labelSets, minTime: Math.max(min, lo), maxTime: Math.min(max, hi) };
  }

  private notifyIfInfoChanged(): void {
    const a = this.advertised();
    const key = JSON.stringify([a.labelSets, a.minTime, a.maxTime]);
    if (key === this.infoKey) return;
    this.infoKey = key;
    for (const l of [...this.listeners]) l();
  }

  /** Closes every loaded block. */
  async close(): Promise<void> {
    clearInterval(this.idleTimer);
    const bs = [...this.blocks.values()];
    this.blocks = new Map();
    await Promise.all(bs.map((b) => b.close()));
  }
}

const LIMIT_REASON: Readonly<Record<string, string>> = { STORE_SERIES_LIMIT: 'series', STORE_SAMPLES_LIMIT: 'samples', STORE_BYTES_LIMIT: 'bytes' };

function isLimitError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && LIMIT_REASON[code] !== undefined;
}

function check(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw new CancelledError(`serving ${what}: cancelled`, { cause: signal.reason });
}

function sortedLimited(set: Set<string>, limit: number): string[] {
  const out = [...set].sort(compareUtf8);
  return limit > 0 ? out.slice(0, limit) : out;
}

