import { CancelledError } from '../../../runtime/errors/runtime-errors.js';
import { compareLabels, compareUtf8, labelsFromPairs, type Labels } from '../labels/labels.js';
import { encodeSeriesChunks } from '../tsdb/chunkenc/index.js';
import type {
  ComponentType, InfoResponse, LabelNamesRequest, LabelNamesResponse, LabelValuesRequest, LabelValuesResponse, SeriesFrame,
  SeriesRequest,
} from './protocol.js';
import { chunksIn, compileMatchers, matchesAll, stripReplicaLabels } from './select.js';
import type { StoreAPI } from './storeapi.js';
import { MAX_TIME, MIN_TIME, type AggrChunk, type Series } from './types.js';
import { parseLabelNamesRequest, parseLabelValuesRequest, parseSeriesRequest } from './validate-request.js';

/** A series given as raw samples (timestamps strictly increasing, ms); XOR-encoded into chunks on load. */
export interface SampleSeries {
  readonly labels: Labels;
  readonly samples: readonly (readonly [number, number])[];
}

export type MemorySeries = Series | SampleSeries;

export interface MemoryStoreOptions {
  /** Series with ready chunks, or with samples (cut with Prometheus's head rule and XOR-encoded). */
  readonly series: readonly MemorySeries[];
  /**
   * External labels added to every series (they replace a series label of the same name, as
   * Thanos does); matchers see them. When set and `labelSets` is not, Info announces them.
   */
  readonly externalLabels?: Labels;
  /** Label sets announced in Info (default: `[externalLabels]`, or none). */
  readonly labelSets?: readonly Labels[];
  readonly componentType?: ComponentType;
  /** Chunk range used when encoding samples (default 2 h, like the Prometheus head). */
  readonly chunkRangeMs?: number;
}

/**
 * A StoreAPI over series held in memory: the reference implementation of the contract (tests,
 * single-process wiring, and the fixture the acceptance suite is checked against). A series is
 * selected when its labels (external labels included) satisfy the matchers and one of its chunks
 * overlaps the time range; only overlapping chunks are returned (chunk-granular trimming, the
 * caller trims samples). Frames are produced lazily, one per pull, so a slow consumer holds the
 * producer. Not sharding-aware (supportsSharding = false). `update()` replaces the data and
 * notifies `onInfoChange` listeners (the server helper re-announces Info).
 */
export class MemoryStore implements StoreAPI {
  private data: readonly Series[] = [];
  private minTime = 0;
  private maxTime = 0;
  private opts: MemoryStoreOptions;
  private readonly listeners = new Set<() => void>();

  constructor(opts: MemoryStoreOptions) {
    this.opts = opts;
    this.load(opts);
  }

  /** Replaces the served data (and external labels / label sets when given); Info listeners fire. */
  update(opts: Partial<MemoryStoreOptions> & { series: readonly MemorySeries[] }): void {
    this.opts = { ...this.opts, ...opts };
    this.load(this.opts);
    for (const l of [...this.listeners]) l();
  }

  /** Subscribes to Info changes; returns the unsubscribe function. */
  onInfoChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private load(opts: MemoryStoreOptions): void {
    const ext = opts.externalLabels ?? [];
    this.data = opts.series.map((s) => toSeries(s, ext, opts.chunkRangeMs)).sort((a, b) => compareLabels(a.labels, b.labels));
    let min = MAX_TIME, max = MIN_TIME;
    for (const s of this.data) for (const c of s.chunks) { min = Math.min(min, c.minTime); max = Math.max(max, c.maxTime); }
    [this.minTime, this.maxTime] = min > max ? [0, 0] : [min, max];
  }

  async info(signal?: AbortSignal): Promise<InfoResponse> {
    check(signal, 'info');
    const labelSets = this.opts.labelSets ?? (this.opts.externalLabels?.length ? [this.opts.externalLabels] : []);
    return {
      kind: 'storeapi.info', labelSets, componentType: this.opts.componentType ?? 'debug',
      store: {
        minTime: this.minTime, maxTime: this.maxTime, supportsSharding: false, supportsWithoutReplicaLabels: true,
        tsdbInfos: labelSets.map((labels) => ({ labels, minTime: this.minTime, maxTime: this.maxTime })),
      },
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
    check(signal, 'series');
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

function toSeries(s: MemorySeries, ext: Labels, chunkRange: number | undefined): Series {
  const labels = ext.length === 0 ? s.labels
    : labelsFromPairs([...s.labels.filter((l) => !ext.some((e) => e.name === l.name)), ...ext]);
  if ('chunks' in s) return { labels, chunks: [...s.chunks].sort((a, b) => a.minTime - b.minTime) };
  const ts = s.samples.map((p) => p[0]);
  const vs = Float64Array.from(s.samples, (p) => p[1]);
  const chunks: AggrChunk[] = encodeSeriesChunks(ts, vs, chunkRange === undefined ? {} : { chunkRange })
    .map((c) => ({ minTime: c.mint, maxTime: c.maxt, raw: { type: 'XOR', data: c.data } }));
  return { labels, chunks };
}

function check(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw new CancelledError(`serving ${what}: cancelled`, { cause: signal.reason });
}

function sortedLimited(set: Set<string>, limit: number): string[] {
  const out = [...set].sort(compareUtf8);
  return limit > 0 ? out.slice(0, limit) : out;
}
