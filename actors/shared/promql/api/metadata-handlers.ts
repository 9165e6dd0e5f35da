/**
 * `/api/v1/series`, `/api/v1/labels`, `/api/v1/label/<name>/values`, `/api/v1/metadata` and
 * `/api/v1/status/buildinfo` with the checks, check order, messages and result ordering of
 * Prometheus 2.42.
 */
import type { HttpResponse } from '../../../../runtime/http/types.js';
import { compareLabels, compareUtf8, labelsKey, type Labels } from '../../labels/labels.js';
import { goQuote } from '../parser/duration.js';
import type { BuildInfo, MetricMetadata, PrometheusApiDeps } from './deps.js';
import { apiError, classifyError, invalidParam, successResponse } from './envelope.js';
import type { FormValues } from './form.js';
import { goJsonLabels, goJsonString, goJsonStringList } from './go-json.js';
import { parseMatcherSets } from './matchers.js';
import { MAX_TIME_MS, MIN_TIME_MS } from './params.js';
import { timeParam } from './query-handlers.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** GET/POST `/api/v1/series`: `match[]` (required, repeatable), `start`, `end`. Sorted, unique label sets. */
export async function handleSeries(form: FormValues, signal: AbortSignal, deps: PrometheusApiDeps): Promise<HttpResponse> {
  if (form.error !== undefined) throw apiError('bad_data', `error parsing form values: ${form.error}`);
  const raw = form.getAll('match[]');
  if (raw.length === 0) throw apiError('bad_data', 'no match[] parameter provided');
  const start = timeParam(form, 'start', MIN_TIME_MS);
  const end = timeParam(form, 'end', MAX_TIME_MS);
  let sets;
  try {
    sets = parseMatcherSets(raw);
  } catch (err) {
    throw invalidParam('match[]', classifyError(err).message, err);
  }
  const found = await deps.metadata.series(sets, start, end, signal);
  const seen = new Set<string>();
  const unique: Labels[] = [];
  for (const ls of found) {
    const k = labelsKey(ls);
    if (!seen.has(k)) { seen.add(k); unique.push(ls); }
  }
  unique.sort(compareLabels);
  return successResponse('[' + unique.map(goJsonLabels).join(',') + ']');
}

/** GET/POST `/api/v1/labels`: optional `match[]`, `start`, `end`. Byte-sorted names. */
export async function handleLabels(form: FormValues, signal: AbortSignal, deps: PrometheusApiDeps): Promise<HttpResponse> {
  const start = timeParam(form, 'start', MIN_TIME_MS);
  const end = timeParam(form, 'end', MAX_TIME_MS);
  const sets = badData(() => parseMatcherSets(form.getAll('match[]')));
  const names = await deps.metadata.labelNames(sets, start, end, signal);
  return successResponse(goJsonStringList(sortedUnique(names)));
}

/** GET `/api/v1/label/<name>/values`: optional `match[]`, `start`, `end`. Byte-sorted values. */
export async function handleLabelValues(name: string, form: FormValues, signal: AbortSignal, deps: PrometheusApiDeps): Promise<HttpResponse> {
  if (!LABEL_NAME.test(name)) throw apiError('bad_data', `invalid label name: ${goQuote(name)}`);
  const start = timeParam(form, 'start', MIN_TIME_MS);
  const end = timeParam(form, 'end', MAX_TIME_MS);
  const sets = badData(() => parseMatcherSets(form.getAll('match[]')));
  const values = await deps.metadata.labelValues(name, sets, start, end, signal);
  return successResponse(goJsonStringList(sortedUnique(values)));
}

/** GET `/api/v1/metadata`: optional `metric`, `limit` (an integer; < 0 = no limit). */
export async function handleMetadata(form: FormValues, signal: AbortSignal, deps: PrometheusApiDeps): Promise<HttpResponse> {
  let limit = -1;
  const l = form.get('limit');
  if (l !== '') {
    if (!/^[+-]?\d+$/.test(l) || !Number.isSafeInteger(Number(l))) throw apiError('bad_data', 'limit must be a number');
    limit = Number(l);
  }
  const src = deps.metricMetadata === undefined ? new Map<string, readonly MetricMetadata[]>() : await deps.metricMetadata(form.get('metric'), signal);
  const names = [...src.keys()].sort(compareUtf8);
  const parts: string[] = [];
  for (const n of names) {
    if (limit >= 0 && parts.length >= limit) break;
    const entries = src.get(n)!.map((m) => `{"type":${goJsonString(m.type)},"help":${goJsonString(m.help)},"unit":${goJsonString(m.unit)}}`);
    parts.push(goJsonString(n) + ':[' + entries.join(',') + ']');
  }
  return successResponse('{' + parts.join(',') + '}');
}

/** GET `/api/v1/status/buildinfo`. */
export function handleBuildInfo(info: BuildInfo): HttpResponse {
  const keys = ['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion'] as const;
  return successResponse('{' + keys.map((k) => `"${k}":${goJsonString(info[k])}`).join(',') + '}');
}

function badData<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw apiError('bad_data', classifyError(err).message, err);
  }
}

function sortedUnique(xs: readonly string[]): string[] {
  const out = [...new Set(xs)];
  out.sort(compareUtf8);
  return out;
}
