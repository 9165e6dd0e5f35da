import { compareUtf8, type Labels } from '../labels/labels.js';
import { StoreApiBadResponseError } from './errors.js';
import { FieldReader, type Rec } from './fields.js';
import { unpackSeriesColumns } from './series-columns.js';
import {
  COMPONENT_TYPES, LIMITS, type InfoResponse, type LabelNamesResponse, type LabelValuesResponse, type SeriesFrame,
  type StoreInfo,
} from './protocol.js';
import {
  AGGR_CHUNK_PARTS, CHUNK_ENCODINGS, MAX_TIME, MIN_TIME, type AggrChunk, type Chunk, type ResponseHints, type Series,
  type TsdbInfo,
} from './types.js';

/**
 * Decode-boundary validators for what a store sends back: `unknown` in, typed out, or
 * StoreApiBadResponseError naming the field. Chunk bytes are not copied.
 */

function chunk(r: FieldReader, v: unknown, field: string): Chunk {
  const o = r.record(v, field);
  const type = r.oneOf(o.type, `${field}.type`, CHUNK_ENCODINGS, 'XOR');
  if (!(o.data instanceof Uint8Array)) r.fail(`${field}.data`, 'bytes', o.data);
  return { type, data: o.data };
}

function aggrChunk(r: FieldReader, v: unknown, field: string): AggrChunk {
  const o = r.record(v, field);
  const minTime = r.int(o.minTime, `${field}.minTime`, MIN_TIME, MAX_TIME);
  const maxTime = r.int(o.maxTime, `${field}.maxTime`, MIN_TIME, MAX_TIME);
  if (minTime > maxTime) r.fail(`${field}.maxTime`, `≥ minTime (${minTime})`, maxTime);
  const out: { -readonly [K in keyof AggrChunk]: AggrChunk[K] } = { minTime, maxTime };
  let parts = 0;
  for (const p of AGGR_CHUNK_PARTS) {
    if (o[p] === undefined || o[p] === null) continue;
    out[p] = chunk(r, o[p], `${field}.${p}`);
    parts++;
  }
  if (parts === 0) r.fail(field, 'a chunk with at least one of raw|count|sum|min|max|counter');
  return out;
}

function series(r: FieldReader, v: unknown, field: string): Series {
  const o = r.record(v, field);
  const labels = r.labels(o.labels, `${field}.labels`);
  const raw = r.array(o.chunks, `${field}.chunks`, LIMITS.maxChunksPerSeries);
  const chunks: AggrChunk[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) chunks[i] = aggrChunk(r, raw[i], `${field}.chunks[${i}]`);
  return { labels, chunks };
}

export function parseResponseHints(r: FieldReader, v: unknown, field: string): ResponseHints {
  const o = r.record(v, field);
  const queriedBlocks = r.strings(o.queriedBlocks, `${field}.queriedBlocks`, LIMITS.maxQueriedBlocks, 128);
  if (o.queryStats === undefined) return { queriedBlocks };
  const s = r.record(o.queryStats, `${field}.queryStats`);
  const stats: Record<string, number> = {};
  for (const [k, n] of Object.entries(s)) stats[k] = r.int(n, `${field}.queryStats.${k}`, 0, Number.MAX_SAFE_INTEGER);
  return { queriedBlocks, queryStats: stats };
}

/**
 * Validates one decoded Series stream frame. A `batch` (or its wire form `columns`, returned as a
 * `batch`) holds 1..LIMITS.maxFrameSeries series.
 */
export function parseSeriesFrame(x: unknown): SeriesFrame {
  const r = new FieldReader(StoreApiBadResponseError, 'series frame');
  const o = r.record(x, '$');
  switch (o.kind) {
    case 'series': return { kind: 'series', series: series(r, o.series, 'series') };
    case 'batch': {
      const arr = r.array(o.series, 'series', LIMITS.maxFrameSeries);
      if (arr.length === 0) r.fail('series', 'a non-empty array');
      return { kind: 'batch', series: arr.map((s, i) => series(r, s, `series[${i}]`)) };
    }
    // The transport's wire form of a batch (see series-columns.ts).
    case 'columns': return { kind: 'batch', series: unpackSeriesColumns(r, o) };
    case 'warning': return { kind: 'warning', message: r.string(o.message, 'message', LIMITS.maxWarningLength) };
    case 'hints': return { kind: 'hints', hints: parseResponseHints(r, o.hints, 'hints') };
    default: return r.fail('kind', 'one of series|batch|columns|warning|hints', o.kind);
  }
}

function storeInfo(r: FieldReader, v: unknown): StoreInfo {
  const o = r.record(v, 'store');
  const minTime = r.int(o.minTime, 'store.minTime', MIN_TIME, MAX_TIME);
  const maxTime = r.int(o.maxTime, 'store.maxTime', MIN_TIME, MAX_TIME);
  const tsdbInfos: TsdbInfo[] = r.array(o.tsdbInfos, 'store.tsdbInfos', LIMITS.maxLabelSets).map((t, i) => {
    const f = `store.tsdbInfos[${i}]`;
    const ti = r.record(t, f);
    return {
      labels: r.labels(ti.labels, `${f}.labels`),
      minTime: r.int(ti.minTime, `${f}.minTime`, MIN_TIME, MAX_TIME),
      maxTime: r.int(ti.maxTime, `${f}.maxTime`, MIN_TIME, MAX_TIME),
    };
  });
  return {
    minTime, maxTime, tsdbInfos,
    supportsSharding: r.bool(o.supportsSharding, 'store.supportsSharding'),
    supportsWithoutReplicaLabels: r.bool(o.supportsWithoutReplicaLabels, 'store.supportsWithoutReplicaLabels'),
  };
}

/** Validates a decoded Info response. */
export function parseInfoResponse(x: unknown): InfoResponse {
  const r = new FieldReader(StoreApiBadResponseError, 'info response');
  const o = r.kind(x, 'storeapi.info');
  const labelSets: Labels[] = r.array(o.labelSets, 'labelSets', LIMITS.maxLabelSets).map((l, i) => r.labels(l, `labelSets[${i}]`));
  const componentType = r.oneOf(o.componentType, 'componentType', COMPONENT_TYPES);
  const res: InfoResponse = { kind: 'storeapi.info', labelSets, componentType };
  return o.store === undefined ? res : { ...res, store: storeInfo(r, o.store) };
}

function sortedStrings(r: FieldReader, o: Rec, key: string): string[] {
  const out = r.strings(o[key], key, LIMITS.maxNamesOrValues, LIMITS.maxLabelValueLength);
  for (let i = 1; i < out.length; i++) if (compareUtf8(out[i - 1]!, out[i]!) >= 0) r.fail(`${key}[${i}]`, 'sorted and unique', out[i]);
  return out;
}

function labelResponse(r: FieldReader, o: Rec) {
  const warnings = r.strings(o.warnings, 'warnings', LIMITS.maxLabelSets, LIMITS.maxWarningLength);
  return o.hints === undefined ? { warnings } : { warnings, hints: parseResponseHints(r, o.hints, 'hints') };
}

/** Validates a decoded LabelNames response (names sorted, unique). */
export function parseLabelNamesResponse(x: unknown): LabelNamesResponse {
  const r = new FieldReader(StoreApiBadResponseError, 'label names response');
  const o = r.kind(x, 'storeapi.labelNames.result');
  return { kind: 'storeapi.labelNames.result', names: sortedStrings(r, o, 'names'), ...labelResponse(r, o) };
}

/** Validates a decoded LabelValues response (values sorted, unique). */
export function parseLabelValuesResponse(x: unknown): LabelValuesResponse {
  const r = new FieldReader(StoreApiBadResponseError, 'label values response');
  const o = r.kind(x, 'storeapi.labelValues.result');
  return { kind: 'storeapi.labelValues.result', values: sortedStrings(r, o, 'values'), ...labelResponse(r, o) };
}
