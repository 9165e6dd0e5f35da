import { compareLabels, labelsKey, type Labels } from '../shared/labels/labels.js';
import { compileMatchers } from '../shared/storeapi/select.js';
import type {
  InfoResponse, LabelNamesRequest, LabelNamesResponse, LabelValuesRequest, LabelValuesResponse, SeriesFrame, SeriesRequest,
} from '../shared/storeapi/protocol.js';
import type { StoreAPI } from '../shared/storeapi/storeapi.js';
import { MAX_TIME, MIN_TIME, type AggrChunk, type Series, type TsdbInfo } from '../shared/storeapi/types.js';
import { parseLabelNamesRequest, parseLabelValuesRequest, parseSeriesRequest } from '../shared/storeapi/validate-request.js';
import { QuerierLoopError } from './errors.js';
import { fanoutScope, seriesWithTimeout } from './fanout.js';
import { hintsWithHops, hopsOf } from './hops.js';
import { mergeSeries, type MergedSeries } from './merge/merge-series.js';
import { storeMatches } from './prune.js';
import { StoreMetadata } from './store-metadata.js';
import type { StoreEndpoint } from './store-queryable.js';

export interface ProxyStoreOptions {
  /** This querier's id (what loop detection looks for). */
  readonly id: string;
  readonly stores: () => readonly StoreEndpoint[];
  /** Per-frame response timeout towards the child stores (0 = off). */
  readonly responseTimeoutMs?: number;
  /** Subscribes to changes of the store set (so the served Info is re-announced); returns the unsubscribe function. */
  readonly watch?: (listener: () => void) => () => void;
}

/**
 * The querier as a StoreAPI (query-of-queriers): Series/LabelNames/LabelValues are answered by
 * fanning out to this querier's own stores (pruned, merged), and Info is the union of their label
 * sets and time ranges (component `query`). Each merged series is sent as one frame per replica
 * group, so an upper querier still sees every replica separately and deduplicates itself. The
 * request's partial response strategy applies to the children (WARN → warning frames/warnings,
 * ABORT → the call fails with STOREAPI_ABORTED).
 *
 * Loops: the querier adds its id to the request's hop list (see hops.ts) before forwarding; a
 * request whose hop list already holds this querier's id is refused with QuerierLoopError.
 */
export class ProxyStore implements StoreAPI {
  constructor(private readonly o: ProxyStoreOptions) {}

  /** Info changes whenever the store set changes (InfoChangeSource of serveStoreAPI). */
  onInfoChange(listener: () => void): () => void {
    return this.o.watch?.(listener) ?? (() => undefined);
  }

  async info(): Promise<InfoResponse> {
    const stores = this.o.stores();
    const sets = new Map<string, Labels>();
    const tsdbInfos: TsdbInfo[] = [];
    let min = MAX_TIME, max = MIN_TIME;
    for (const s of stores) {
      for (const l of s.info.labelSets) sets.set(labelsKey(l), l);
      tsdbInfos.push(...(s.info.store?.tsdbInfos ?? []));
      min = Math.min(min, s.info.store?.minTime ?? MIN_TIME);
      max = Math.max(max, s.info.store?.maxTime ?? MAX_TIME);
    }
    if (min > max) [min, max] = [0, 0];
    return {
      kind: 'storeapi.info', labelSets: [...sets.values()].sort(compareLabels), componentType: 'query',
      store: { minTime: min, maxTime: max, supportsSharding: false, supportsWithoutReplicaLabels: true, tsdbInfos },
    };
  }

  private checkLoop(hints: SeriesRequest['hints'], what: string): string[] {
    const hops = hopsOf(hints);
    if (hops.includes(this.o.id)) {
      throw new QuerierLoopError(`serving ${what}: request already passed through querier ${this.o.id} (hops: ${hops.join(' → ')})`, {
        data: { querier: this.o.id, hops },
      });
    }
    return [...hops, this.o.id];
  }

  series(input: SeriesRequest, signal: AbortSignal): AsyncIterable<SeriesFrame> {
    return this.stream(input, signal);
  }

  private async *stream(input: SeriesRequest, signal: AbortSignal): AsyncGenerator<SeriesFrame> {
    const req = parseSeriesRequest(input);
    const hops = this.checkLoop(req.hints, 'series');
    const matchers = compileMatchers(req.matchers);
    const fwd: SeriesRequest = { ...req, hints: hintsWithHops(hops, req.hints)!, responseBatchSize: Math.max(req.responseBatchSize, 64) };
    const stores = this.o.stores().filter((s) => storeMatches(s.name, s.info, req.minTime, req.maxTime, matchers));
    const scope = fanoutScope(signal);
    const inputs = stores.map((s) => ({ name: s.name, frames: seriesWithTimeout(s.client, s.name, fwd, this.o.responseTimeoutMs ?? 0, scope.signal) }));
    let sent = 0;
    try {
      for await (const f of mergeSeries(inputs, { partialResponseStrategy: req.partialResponseStrategy, signal })) {
        if (f.kind === 'warning') yield { kind: 'warning', message: f.message };
        if (f.kind !== 'series') continue;
        for (const series of byReplicaGroup(f.series)) yield { kind: 'series', series };
        if (req.limit > 0 && ++sent >= req.limit) return;
      }
    } finally {
      scope.done();
    }
  }

  private meta(strategy: SeriesRequest['partialResponseStrategy'], replicaLabels: readonly string[], hops: string[], warnings: string[]): StoreMetadata {
    return new StoreMetadata({
      stores: this.o.stores, replicaLabels, partialResponse: strategy, responseTimeoutMs: this.o.responseTimeoutMs ?? 0,
      storeMatch: [], hops, warnings,
    });
  }

  async labelNames(input: LabelNamesRequest, signal: AbortSignal): Promise<LabelNamesResponse> {
    const req = parseLabelNamesRequest(input);
    const hops = this.checkLoop(req.hints, 'label names');
    const warnings: string[] = [];
    const names = await this.meta(req.partialResponseStrategy, req.withoutReplicaLabels, hops, warnings)
      .labelNames([compileMatchers(req.matchers)], req.start, req.end, signal);
    return { kind: 'storeapi.labelNames.result', names: req.limit > 0 ? names.slice(0, req.limit) : names, warnings };
  }

  async labelValues(input: LabelValuesRequest, signal: AbortSignal): Promise<LabelValuesResponse> {
    const req = parseLabelValuesRequest(input);
    const hops = this.checkLoop(req.hints, 'label values');
    const warnings: string[] = [];
    const values = await this.meta(req.partialResponseStrategy, req.withoutReplicaLabels, hops, warnings)
      .labelValues(req.label, [compileMatchers(req.matchers)], req.start, req.end, signal);
    return { kind: 'storeapi.labelValues.result', values: req.limit > 0 ? values.slice(0, req.limit) : values, warnings };
  }
}

/** One Series per replica group of a merged series (chunks keep their order), so provenance survives the hop. */
function byReplicaGroup(m: MergedSeries): Series[] {
  const groups = new Map<number, AggrChunk[]>();
  m.chunks.forEach((c, i) => {
    const g = m.replica[i]!;
    const list = groups.get(g) ?? [];
    list.push(c);
    groups.set(g, list);
  });
  if (groups.size === 0) return [{ labels: m.labels, chunks: [] }];
  return [...groups.values()].map((chunks) => ({ labels: m.labels, chunks }));
}
