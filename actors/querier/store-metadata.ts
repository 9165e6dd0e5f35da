import { compareLabels, compareUtf8, labelsKey, type Labels } from '../shared/labels/labels.js';
import type { Matcher } from '../shared/labels/matcher.js';
import { labelNamesRequest, labelValuesRequest, seriesRequest } from '../shared/storeapi/protocol.js';
import { StoreApiAbortedError } from '../shared/storeapi/errors.js';
import { MAX_TIME, MIN_TIME, type PartialResponseStrategy } from '../shared/storeapi/types.js';
import { QuerierStoreTimeoutError } from './errors.js';
import { fanoutScope, seriesWithTimeout } from './fanout.js';
import { hintsWithHops } from './hops.js';
import { mergeSeries } from './merge/merge-series.js';
import { specOf, storeMatches } from './prune.js';
import type { StoreEndpoint } from './store-queryable.js';
import { stripLocally } from './strip-locally.js';

export interface StoreMetadataOptions {
  readonly stores: () => readonly StoreEndpoint[];
  readonly replicaLabels: readonly string[];
  readonly partialResponse: PartialResponseStrategy;
  readonly responseTimeoutMs: number;
  readonly storeMatch: readonly (readonly Matcher[])[];
  readonly hops: readonly string[];
  /** Where store warnings and (under WARN) store failures are appended. */
  readonly warnings: string[];
}

/**
 * Label names, label values and series over a set of stores (the API's metadata endpoints): one
 * call per pruned store and matcher set, results unioned (sorted, unique). Replica labels are
 * removed when deduplicating. Failures follow the partial response strategy.
 */
export class StoreMetadata {
  constructor(private readonly o: StoreMetadataOptions) {}

  async labelNames(sets: readonly (readonly Matcher[])[], start: number, end: number, signal: AbortSignal): Promise<string[]> {
    [start, end] = clampRange(start, end);
    const out = new Set<string>();
    await this.each(sets, start, end, signal, async (s, ms, sig) => {
      const r = await s.client.labelNames(labelNamesRequest({ start, end, matchers: ms.map(specOf), partialResponseStrategy: this.o.partialResponse,
        withoutReplicaLabels: this.o.replicaLabels, ...this.hints() }), sig);
      this.o.warnings.push(...r.warnings.map((w) => `${s.name}: ${w}`));
      for (const n of r.names) if (!this.o.replicaLabels.includes(n)) out.add(n);
    });
    return [...out].sort(compareUtf8);
  }

  async labelValues(name: string, sets: readonly (readonly Matcher[])[], start: number, end: number, signal: AbortSignal): Promise<string[]> {
    [start, end] = clampRange(start, end);
    if (this.o.replicaLabels.includes(name)) return [];
    const out = new Set<string>();
    await this.each(sets, start, end, signal, async (s, ms, sig) => {
      const r = await s.client.labelValues(labelValuesRequest({ label: name, start, end, matchers: ms.map(specOf),
        partialResponseStrategy: this.o.partialResponse, withoutReplicaLabels: this.o.replicaLabels, ...this.hints() }), sig);
      this.o.warnings.push(...r.warnings.map((w) => `${s.name}: ${w}`));
      for (const v of r.values) if (v !== '') out.add(v);
    });
    return [...out].sort(compareUtf8);
  }

  async series(sets: readonly (readonly Matcher[])[], start: number, end: number, signal: AbortSignal): Promise<Labels[]> {
    [start, end] = clampRange(start, end);
    const seen = new Map<string, Labels>();
    for (const ms of sets) {
      const stores = this.o.stores().filter((s) => storeMatches(s.name, s.info, start, end, ms, this.o.storeMatch));
      const req = seriesRequest({ minTime: start, maxTime: end, matchers: ms.map(specOf), skipChunks: true,
        partialResponseStrategy: this.o.partialResponse, withoutReplicaLabels: this.o.replicaLabels, responseBatchSize: 256, ...this.hints() });
      const scope = fanoutScope(signal);
      const inputs = stores.map((s) => {
        const frames = seriesWithTimeout(s.client, s.name, req, this.o.responseTimeoutMs, scope.signal);
        const local = this.o.replicaLabels.length > 0 && s.info.store?.supportsWithoutReplicaLabels !== true;
        return { name: s.name, frames: local ? stripLocally(frames, this.o.replicaLabels) : frames };
      });
      try {
        for await (const f of mergeSeries(inputs, { partialResponseStrategy: this.o.partialResponse, signal })) {
          if (f.kind === 'series') seen.set(labelsKey(f.series.labels), f.series.labels);
          else if (f.kind === 'warning') this.o.warnings.push(f.message);
        }
      } finally {
        scope.done();
      }
    }
    return [...seen.values()].sort(compareLabels);
  }

  private hints() {
    const h = hintsWithHops(this.o.hops);
    return h === undefined ? {} : { hints: h };
  }

  /** Runs `fn` for every (matcher set, matching store) pair concurrently, applying timeout and strategy. */
  private async each(sets: readonly (readonly Matcher[])[], start: number, end: number, signal: AbortSignal,
    fn: (s: StoreEndpoint, ms: readonly Matcher[], sig: AbortSignal) => Promise<void>): Promise<void> {
    const list = sets.length === 0 ? [[] as readonly Matcher[]] : sets;
    const calls: Promise<void>[] = [];
    for (const ms of list) {
      for (const s of this.o.stores().filter((x) => storeMatches(x.name, x.info, start, end, ms, this.o.storeMatch))) {
        calls.push(this.guard(s, signal, (sig) => fn(s, ms, sig)));
      }
    }
    await Promise.all(calls);
  }

  private async guard(s: StoreEndpoint, signal: AbortSignal, fn: (sig: AbortSignal) => Promise<void>): Promise<void> {
    const ac = new AbortController();
    const onAbort = () => ac.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const ms = this.o.responseTimeoutMs;
    try {
      const timeout = new Promise<never>((_, reject) => {
        if (ms > 0) timer = setTimeout(() => reject(new QuerierStoreTimeoutError(`failed to receive any data in ${ms}ms from ${s.name}`, { data: { store: s.name, timeoutMs: ms } })), ms);
      });
      await Promise.race([fn(ac.signal), timeout]);
    } catch (err) {
      if (signal.aborted) throw err;
      const message = `${s.name}: ${err instanceof Error ? err.message : String(err)}`;
      if (this.o.partialResponse === 'ABORT') throw new StoreApiAbortedError(`partial response aborted: ${message}`, { cause: err, data: { store: s.name } });
      this.o.warnings.push(message);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      ac.abort();
    }
  }
}

/** The API's open bounds (Go's min/max time) clamped to what the StoreAPI carries (safe integers). */
function clampRange(start: number, end: number): [number, number] {
  return [Math.min(Math.max(start, MIN_TIME), MAX_TIME), Math.max(Math.min(end, MAX_TIME), MIN_TIME)];
}
