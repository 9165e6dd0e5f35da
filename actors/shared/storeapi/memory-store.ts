import { CancelledError } from '../../../runtime/errors/runtime-errors.js';
import { compareLabels, compareUtf8, type Labels } from '../labels/labels.js';
import type {
  ComponentType, InfoResponse, LabelNamesRequest, LabelNamesResponse, LabelValuesRequest, LabelValuesResponse, SeriesFrame,
  SeriesRequest,
} from './protocol.js';
import { chunksIn, compileMatchers, matchesAll, stripReplicaLabels } from './select.js';
import type { StoreAPI } from './storeapi.js';
import { MAX_TIME, MIN_TIME, type Series } from './types.js';
import { parseLabelNamesRequest, parseLabelValuesRequest, parseSeriesRequest } from './validate-request.js';

export interface MemoryStoreOptions {
  readonly series: readonly Series[];
  readonly labelSets?: readonly Labels[];
  readonly componentType?: ComponentType;
}

/**
 * A StoreAPI over series held in memory: the reference implementation of the contract (tests,
 * single-process wiring, and the fixture the acceptance suite is checked against). A series is
 * selected when its labels satisfy the matchers and one of its chunks overlaps the time range;
 * only overlapping chunks are returned. Not sharding-aware (supportsSharding = false).
 */
export class MemoryStore implements StoreAPI {
  private readonly data: readonly Series[];
  private readonly minTime: number;
  private readonly maxTime: number;

  constructor(private readonly opts: MemoryStoreOptions) {
    this.data = [...opts.series].sort((a, b) => compareLabels(a.labels, b.labels));
    let min = MAX_TIME, max = MIN_TIME;
    for (const s of this.data) for (const c of s.chunks) { min = Math.min(min, c.minTime); max = Math.max(max, c.maxTime); }
    [this.minTime, this.maxTime] = min > max ? [0, 0] : [min, max];
  }

  async info(signal?: AbortSignal): Promise<InfoResponse> {
    check(signal, 'info');
    return {
      kind: 'storeapi.info', labelSets: this.opts.labelSets ?? [], componentType: this.opts.componentType ?? 'debug',
      store: { minTime: this.minTime, maxTime: this.maxTime, supportsSharding: false, supportsWithoutReplicaLabels: true, tsdbInfos: [] },
    };
  }

  series(req: SeriesRequest, signal: AbortSignal): AsyncIterable<SeriesFrame> {
    return this.stream(req, signal);
  }

  private async *stream(input: SeriesRequest, signal: AbortSignal): AsyncGenerator<SeriesFrame> {
    const req = parseSeriesRequest(input);
    check(signal, 'series');
    const selected = this.select(req.matchers, req.minTime, req.maxTime)
      .map((s) => ({ labels: s.labels, chunks: req.skipChunks ? [] : chunksIn(s.chunks, req.minTime, req.maxTime) }));
    let out = stripReplicaLabels(selected, req.withoutReplicaLabels);
    if (req.limit > 0) out = out.slice(0, req.limit);
    const batch = req.responseBatchSize;
    for (let i = 0; i < out.length; i += Math.max(1, batch)) {
      check(signal, 'series');
      if (batch <= 1) yield { kind: 'series', series: out[i]! };
      else yield { kind: 'batch', series: out.slice(i, i + batch) };
    }
  }

  async labelNames(input: LabelNamesRequest, signal: AbortSignal): Promise<LabelNamesResponse> {
    const req = parseLabelNamesRequest(input);
    check(signal, 'label names');
    const names = new Set<string>();
    for (const s of this.select(req.matchers, req.start, req.end)) {
      for (const l of s.labels) if (!req.withoutReplicaLabels.includes(l.name)) names.add(l.name);
    }
    return { kind: 'storeapi.labelNames.result', names: sortedLimited(names, req.limit), warnings: [] };
  }

  async labelValues(input: LabelValuesRequest, signal: AbortSignal): Promise<LabelValuesResponse> {
    const req = parseLabelValuesRequest(input);
    check(signal, 'label values');
    const values = new Set<string>();
    if (!req.withoutReplicaLabels.includes(req.label)) {
      for (const s of this.select(req.matchers, req.start, req.end)) {
        for (const l of s.labels) if (l.name === req.label && l.value !== '') values.add(l.value);
      }
    }
    return { kind: 'storeapi.labelValues.result', values: sortedLimited(values, req.limit), warnings: [] };
  }

  private select(specs: SeriesRequest['matchers'], minTime: number, maxTime: number): Series[] {
    const matchers = compileMatchers(specs);
    return this.data.filter((s) => matchesAll(s.labels, matchers) && chunksIn(s.chunks, minTime, maxTime).length > 0);
  }
}

function check(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw new CancelledError(`serving ${what}: cancelled`, { cause: signal.reason });
}

function sortedLimited(set: Set<string>, limit: number): string[] {
  const out = [...set].sort(compareUtf8);
  return limit > 0 ? out.slice(0, limit) : out;
}
