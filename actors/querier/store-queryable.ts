import type { Labels } from '../shared/labels/labels.js';
import type { Matcher } from '../shared/labels/matcher.js';
import type { MetadataQueryable, Queryable, SelectHints, SeriesData } from '../shared/promql/storage/queryable.js';
import type { InfoResponse, SeriesRequest } from '../shared/storeapi/protocol.js';
import { seriesRequest } from '../shared/storeapi/protocol.js';
import type { StoreAPI } from '../shared/storeapi/storeapi.js';
import type { PartialResponseStrategy } from '../shared/storeapi/types.js';
import type { WorkerPool } from '../../runtime/workers/pool.js';
import { isCounterFunc } from './dedup/counter-funcs.js';
import type { DedupFunc } from './dedup/series-dedup.js';
import { aggregatesFor } from './chunk-decode.js';
import { QuerierNoStoresError } from './errors.js';
import { fanoutScope, seriesWithTimeout } from './fanout.js';
import { hintsWithHops } from './hops.js';
import { mergeSeries, type MergedSeries } from './merge/merge-series.js';
import { specOf, storeMatches } from './prune.js';
import { StoreMetadata } from './store-metadata.js';
import { mergedToSeriesData, SeriesDataBuilder, type ToSeriesDataOptions } from './to-series-data.js';
import { groupByReplicaLabels } from './dedup/replica-groups.js';
import type { QuerierTasks } from './pool/tasks.js';
import { Semaphore } from './semaphore.js';

/** One StoreAPI the querier may fan out to. `name` is its address for `storeMatch[]` and warnings. */
export interface StoreEndpoint {
  readonly name: string;
  readonly info: InfoResponse;
  readonly client: StoreAPI;
}

/** Functions that need two samples per window: their max resolution is capped to range/2 (Thanos). */
const TWO_SAMPLE_FUNCS = new Set(['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'predict_linear', 'holt_winters']);

export interface StoreQueryableOptions {
  /** The stores known now (called once per select / metadata call). */
  readonly stores: () => readonly StoreEndpoint[];
  /** `--query.replica-label` / `replicaLabels[]`; deduplication runs when non-empty and `dedup` is not false. */
  readonly replicaLabels?: readonly string[];
  readonly dedup?: boolean;
  /** `--deduplication.func` (default penalty). */
  readonly dedupFunc?: DedupFunc;
  /** `partial_response` (default WARN). */
  readonly partialResponse?: PartialResponseStrategy;
  /** `--store.response-timeout`, per frame (0 = off, the default). */
  readonly responseTimeoutMs?: number;
  /** Concurrent selects per query (`--query.max-concurrent-select`, default 4). */
  readonly maxConcurrentSelect?: number;
  /** `max_source_resolution` in ms (0 = raw only, the default). */
  readonly maxSourceResolutionMs?: number;
  /** `storeMatch[]`: matcher sets over `__address__` (the store's name). */
  readonly storeMatch?: readonly (readonly Matcher[])[];
  /** Worker pool for decode+dedup of large selects; inline without one. */
  readonly pool?: WorkerPool<QuerierTasks>;
  /** Chunks per worker batch; selects with fewer chunks in total run inline (default 512). */
  readonly poolBatchChunks?: number;
  /** Querier ids this request already passed through, this querier's own last (query-of-queriers). */
  readonly hops?: readonly string[];
  /** Series per frame asked of stores (default 64). */
  readonly responseBatchSize?: number;
}

/**
 * The PromQL engine's Queryable (and the API's MetadataQueryable) over a set of StoreAPIs, for
 * one query: per select it prunes stores (time range, external label sets vs matchers,
 * `storeMatch[]`), fans out Series to the rest (at most `maxConcurrentSelect` selects at a time,
 * per-frame response timeout), merges the label-sorted streams, deduplicates replicas (penalty,
 * counter-aware for rate/increase/irate/resets; or chain) or — dedup off — merges copies 1:1,
 * decodes chunks and clips samples to the select's range. Store failures become `warnings`
 * (WARN) or reject the select with STOREAPI_ABORTED (ABORT); with no store known at all, ABORT
 * rejects with QUERIER_NO_STORES. Create one per query: `warnings` accumulates for that query.
 */
export class StoreQueryable implements Queryable, MetadataQueryable {
  /** Non-fatal problems met so far (store errors and timeouts under WARN, store warnings). */
  readonly warnings: string[] = [];
  private readonly sem: Semaphore;
  private readonly meta: StoreMetadata;

  constructor(private readonly o: StoreQueryableOptions) {
    this.sem = new Semaphore(o.maxConcurrentSelect ?? 4);
    this.meta = new StoreMetadata({ ...this.common(), warnings: this.warnings });
  }

  /** The replica labels in effect (empty when dedup is off). */
  get replicaLabels(): readonly string[] {
    return this.o.dedup === false ? [] : (this.o.replicaLabels ?? []);
  }

  private common() {
    return {
      stores: () => this.knownStores(), replicaLabels: this.replicaLabels, partialResponse: this.o.partialResponse ?? 'WARN',
      responseTimeoutMs: this.o.responseTimeoutMs ?? 0, storeMatch: this.o.storeMatch ?? [], hops: this.o.hops ?? [],
    } as const;
  }

  private knownStores(): readonly StoreEndpoint[] {
    const all = this.o.stores();
    if (all.length === 0 && (this.o.partialResponse ?? 'WARN') === 'ABORT') throw new QuerierNoStoresError('querying stores: no StoreAPIs available');
    return all;
  }

  async select(matchers: readonly Matcher[], hints: SelectHints, signal?: AbortSignal): Promise<SeriesData[]> {
    const sig = signal ?? new AbortController().signal;
    const release = await this.sem.acquire(sig);
    try {
      const dedup = this.replicaLabels.length > 0;
      const opts: ToSeriesDataOptions = {
        options: {
          func: dedup ? (this.o.dedupFunc ?? 'penalty') : 'chain', counter: dedup && isCounterFunc(hints.func),
          minTime: hints.startMs, maxTime: hints.endMs,
        },
        pick: aggregatesFor(hints.func).pick, pool: this.o.pool, batchChunks: this.o.poolBatchChunks ?? 512, signal: sig,
      };
      if (!dedup) {
        // Nothing to group: each series is decoded (inline, or in pool batches) as soon as the
        // merge emits it, while the stores are still streaming the rest (decode overlaps the fetch).
        const out = new SeriesDataBuilder(opts);
        try {
          await this.fetchEach(matchers, hints, sig, (s) => out.add(s));
          return await out.finish();
        } finally {
          out.close();
        }
      }
      return await mergedToSeriesData(await this.fetch(matchers, hints, sig), opts);
    } finally {
      release();
    }
  }

  /**
   * Fans out one select asking for full label sets (replica labels kept, so replica identity
   * survives), merges identical label sets across stores, then groups them by the labels without
   * the replica labels (each replica-label value one replica group). Label-sorted by those labels.
   */
  private async fetch(matchers: readonly Matcher[], hints: SelectHints, signal: AbortSignal): Promise<MergedSeries[]> {
    const out: MergedSeries[] = [];
    await this.fetchEach(matchers, hints, signal, (s) => { out.push(s); });
    return groupByReplicaLabels(out, this.common().replicaLabels);
  }

  /** Fans out one select and hands every merged series (label order, replica labels kept) to `each` as it is merged. */
  private async fetchEach(matchers: readonly Matcher[], hints: SelectHints, signal: AbortSignal, each: (s: MergedSeries) => void): Promise<void> {
    const c = this.common();
    const stores = c.stores().filter((s) => storeMatches(s.name, s.info, hints.startMs, hints.endMs, matchers, c.storeMatch));
    if (stores.length === 0) return;
    const req = this.request(matchers, hints);
    const scope = fanoutScope(signal);
    const inputs = stores.map((s) => {
      return { name: s.name, frames: seriesWithTimeout(s.client, s.name, req, c.responseTimeoutMs, scope.signal) };
    });
    try {
      for await (const f of mergeSeries(inputs, { partialResponseStrategy: c.partialResponse, signal })) {
        if (f.kind === 'series') each(f.series);
        else if (f.kind === 'warning') this.warnings.push(f.message);
      }
    } finally {
      scope.done();
    }
  }

  private request(matchers: readonly Matcher[], hints: SelectHints): SeriesRequest {
    const { aggregates } = aggregatesFor(hints.func);
    let maxRes = this.o.maxSourceResolutionMs ?? 0;
    if (hints.func !== undefined && TWO_SAMPLE_FUNCS.has(hints.func) && hints.rangeMs !== undefined) maxRes = Math.min(maxRes, Math.floor(hints.rangeMs / 2));
    const h = hintsWithHops(this.o.hops ?? []);
    return seriesRequest({
      minTime: hints.startMs, maxTime: hints.endMs, matchers: matchers.map(specOf), maxResolutionWindow: maxRes,
      aggregates, partialResponseStrategy: this.o.partialResponse ?? 'WARN', withoutReplicaLabels: [],
      responseBatchSize: this.o.responseBatchSize ?? 64,
      queryHints: {
        ...(hints.stepMs === undefined ? {} : { stepMillis: hints.stepMs }),
        ...(hints.func === undefined ? {} : { func: { name: hints.func } }),
        ...(hints.rangeMs === undefined ? {} : { rangeMillis: hints.rangeMs }),
        ...(hints.grouping === undefined ? {} : { grouping: { by: hints.by ?? true, labels: hints.grouping } }),
      },
      ...(h === undefined ? {} : { hints: h }),
    });
  }

  labelNames(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<string[]> {
    return this.meta.labelNames(matcherSets, startMs, endMs, signal ?? new AbortController().signal);
  }

  labelValues(name: string, matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<string[]> {
    return this.meta.labelValues(name, matcherSets, startMs, endMs, signal ?? new AbortController().signal);
  }

  series(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number, signal?: AbortSignal): Promise<Labels[]> {
    return this.meta.series(matcherSets, startMs, endMs, signal ?? new AbortController().signal);
  }
}
