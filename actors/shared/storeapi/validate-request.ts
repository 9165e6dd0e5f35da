import { StoreApiBadRequestError } from './errors.js';
import { FieldReader, type Rec } from './fields.js';
import {
  LIMITS, type LabelNamesRequest, type LabelValuesRequest, type SeriesRequest,
} from './protocol.js';
import {
  AGGRS, MAX_TIME, MIN_TIME, PARTIAL_RESPONSE_STRATEGIES, type QueryHints, type RequestHints, type ShardInfo,
} from './types.js';

/**
 * Decode-boundary validators for StoreAPI requests: `unknown` in, a fresh typed request out (unknown
 * extra fields are dropped), or StoreApiBadRequestError naming the field.
 */

const MAX_RES = 100 * 365 * 86_400_000;

function timeRange(r: FieldReader, o: Rec, minKey: string, maxKey: string): [number, number] {
  const min = r.int(o[minKey], minKey, MIN_TIME, MAX_TIME);
  const max = r.int(o[maxKey], maxKey, MIN_TIME, MAX_TIME);
  if (min > max) r.fail(maxKey, `≥ ${minKey} (${min})`, max);
  return [min, max];
}

function requestHints(r: FieldReader, v: unknown, field: string): RequestHints | undefined {
  if (v === undefined) return undefined;
  const o = r.record(v, field);
  return {
    blockMatchers: r.matchers(o.blockMatchers, `${field}.blockMatchers`, 0),
    enableQueryStats: r.bool(o.enableQueryStats, `${field}.enableQueryStats`),
  };
}

function queryHints(r: FieldReader, v: unknown): QueryHints | undefined {
  if (v === undefined) return undefined;
  const o = r.record(v, 'queryHints');
  const out: { -readonly [K in keyof QueryHints]: QueryHints[K] } = {};
  if (o.stepMillis !== undefined) out.stepMillis = r.int(o.stepMillis, 'queryHints.stepMillis', 0, MAX_RES);
  if (o.rangeMillis !== undefined) out.rangeMillis = r.int(o.rangeMillis, 'queryHints.rangeMillis', 0, MAX_RES);
  if (o.func !== undefined) {
    const f = r.record(o.func, 'queryHints.func');
    out.func = { name: r.string(f.name, 'queryHints.func.name', 256) };
  }
  if (o.grouping !== undefined) {
    const g = r.record(o.grouping, 'queryHints.grouping');
    out.grouping = {
      by: r.bool(g.by, 'queryHints.grouping.by'),
      labels: r.strings(g.labels, 'queryHints.grouping.labels', LIMITS.maxLabelsPerSeries, LIMITS.maxLabelNameLength),
    };
  }
  return out;
}

function shardInfo(r: FieldReader, v: unknown): ShardInfo | undefined {
  if (v === undefined) return undefined;
  const o = r.record(v, 'shardInfo');
  const totalShards = r.int(o.totalShards, 'shardInfo.totalShards', 1, LIMITS.maxShards);
  return {
    shardIndex: r.int(o.shardIndex, 'shardInfo.shardIndex', 0, totalShards - 1),
    totalShards,
    by: r.bool(o.by, 'shardInfo.by'),
    labels: r.strings(o.labels, 'shardInfo.labels', LIMITS.maxLabelsPerSeries, LIMITS.maxLabelNameLength),
  };
}

function replicaLabels(r: FieldReader, v: unknown): string[] {
  const out = r.strings(v, 'withoutReplicaLabels', LIMITS.maxReplicaLabels, LIMITS.maxLabelNameLength);
  out.forEach((s, i) => { if (s === '') r.fail(`withoutReplicaLabels[${i}]`, 'a non-empty label name', s); });
  return out;
}

/** Validates a decoded Series request. Requires ≥ 1 matcher and minTime ≤ maxTime. */
export function parseSeriesRequest(x: unknown): SeriesRequest {
  const r = new FieldReader(StoreApiBadRequestError, 'series request');
  const o = r.kind(x, 'storeapi.series');
  const [minTime, maxTime] = timeRange(r, o, 'minTime', 'maxTime');
  const aggregates = r.array(o.aggregates, 'aggregates', LIMITS.maxAggregates).map((a, i) => r.oneOf(a, `aggregates[${i}]`, AGGRS));
  const req: { -readonly [K in keyof SeriesRequest]: SeriesRequest[K] } = {
    kind: 'storeapi.series', minTime, maxTime,
    matchers: r.matchers(o.matchers, 'matchers', 1),
    maxResolutionWindow: r.int(o.maxResolutionWindow, 'maxResolutionWindow', 0, MAX_RES, 0),
    aggregates,
    partialResponseStrategy: r.oneOf(o.partialResponseStrategy, 'partialResponseStrategy', PARTIAL_RESPONSE_STRATEGIES, 'WARN'),
    skipChunks: r.bool(o.skipChunks, 'skipChunks'),
    withoutReplicaLabels: replicaLabels(r, o.withoutReplicaLabels),
    limit: r.int(o.limit, 'limit', 0, Number.MAX_SAFE_INTEGER, 0),
    responseBatchSize: r.int(o.responseBatchSize, 'responseBatchSize', 0, LIMITS.maxFrameSeries, 0),
  };
  const qh = queryHints(r, o.queryHints);
  if (qh !== undefined) req.queryHints = qh;
  const si = shardInfo(r, o.shardInfo);
  if (si !== undefined) req.shardInfo = si;
  const h = requestHints(r, o.hints, 'hints');
  if (h !== undefined) req.hints = h;
  return req;
}

function labelRequestCommon(r: FieldReader, o: Rec) {
  const [start, end] = timeRange(r, o, 'start', 'end');
  return {
    start, end,
    matchers: r.matchers(o.matchers, 'matchers', 0),
    partialResponseStrategy: r.oneOf(o.partialResponseStrategy, 'partialResponseStrategy', PARTIAL_RESPONSE_STRATEGIES, 'WARN'),
    withoutReplicaLabels: replicaLabels(r, o.withoutReplicaLabels),
    limit: r.int(o.limit, 'limit', 0, Number.MAX_SAFE_INTEGER, 0),
  };
}

/** Validates a decoded LabelNames request (matchers optional). */
export function parseLabelNamesRequest(x: unknown): LabelNamesRequest {
  const r = new FieldReader(StoreApiBadRequestError, 'label names request');
  const o = r.kind(x, 'storeapi.labelNames');
  const hints = requestHints(r, o.hints, 'hints');
  const req: LabelNamesRequest = { kind: 'storeapi.labelNames', ...labelRequestCommon(r, o) };
  return hints === undefined ? req : { ...req, hints };
}

/** Validates a decoded LabelValues request (`label` non-empty, matchers optional). */
export function parseLabelValuesRequest(x: unknown): LabelValuesRequest {
  const r = new FieldReader(StoreApiBadRequestError, 'label values request');
  const o = r.kind(x, 'storeapi.labelValues');
  const label = r.string(o.label, 'label', LIMITS.maxLabelNameLength, true);
  const hints = requestHints(r, o.hints, 'hints');
  const req: LabelValuesRequest = { kind: 'storeapi.labelValues', label, ...labelRequestCommon(r, o) };
  return hints === undefined ? req : { ...req, hints };
}
