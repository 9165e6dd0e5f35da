/**
 * `/api/v1/query`, `/api/v1/query_range` and `/api/v1/format_query` with the parameter checks,
 * their order and the messages of Prometheus 2.42 (web/api/v1/api.go).
 */
import type { HttpResponse } from '../../../../runtime/http/types.js';
import type { QueryResult } from '../engine/result.js';
import { parseExpr } from '../parser/parse.js';
import type { PrometheusApiDeps } from './deps.js';
import { apiError, classifyError, invalidParam, successResponse, successStreamResponse } from './envelope.js';
import type { FormValues } from './form.js';
import { durationMs, exceedsMaxResolution, ParamSyntaxError, parseDurationNs, parseTimeMs } from './params.js';
import { pointCount, queryDataChunks, queryDataJson } from './result-json.js';
import { goJsonString } from './go-json.js';
import { prettyExpr } from './pretty.js';

/** 2.42's `parseTimeParam`: default when absent/empty, else `parseTime` with its extra wrapping. */
export function timeParam(form: FormValues, name: string, dflt: number): number {
  const v = form.get(name);
  if (v === '') return dflt;
  try {
    return parseTimeMs(v);
  } catch (err) {
    if (err instanceof ParamSyntaxError) throw invalidParam(name, `Invalid time value for '${name}': ${err.message}`);
    throw err;
  }
}

function parsed<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ParamSyntaxError) throw invalidParam(name, err.message);
    throw err;
  }
}

/** The `timeout` parameter in ms (undefined when absent). */
function timeoutParam(form: FormValues): number | undefined {
  const to = form.get('timeout');
  if (to === '') return undefined;
  return durationMs(parsed('timeout', () => parseDurationNs(to)));
}

/** GET/POST `/api/v1/query`: `query`, `time` (default now), `timeout`. */
export async function handleQuery(form: FormValues, signal: AbortSignal, deps: PrometheusApiDeps): Promise<HttpResponse> {
  const time = timeParam(form, 'time', Math.trunc((deps.now ?? Date.now)()));
  const timeoutMs = timeoutParam(form);
  const query = form.get('query');
  try {
    parseExpr(query);
  } catch (err) {
    throw invalidParam('query', err instanceof Error ? err.message : String(err), err);
  }
  const res = await withTimeout(signal, timeoutMs, (s) => deps.engine.instantQuery(query, time, s));
  return queryResponse(res, deps);
}

/** GET/POST `/api/v1/query_range`: `query`, `start`, `end`, `step` (all required), `timeout`. */
export async function handleQueryRange(form: FormValues, signal: AbortSignal, deps: PrometheusApiDeps): Promise<HttpResponse> {
  const start = parsed('start', () => parseTimeMs(form.get('start')));
  const end = parsed('end', () => parseTimeMs(form.get('end')));
  if (end < start) throw invalidParam('end', 'end timestamp must not be before start time');
  const stepNs = parsed('step', () => parseDurationNs(form.get('step')));
  if (stepNs <= 0n) throw invalidParam('step', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
  if (exceedsMaxResolution(start, end, stepNs)) {
    throw apiError('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  const timeoutMs = timeoutParam(form);
  const query = form.get('query');
  try {
    parseExpr(query);
  } catch (err) {
    throw apiError('bad_data', err instanceof Error ? err.message : String(err), err);
  }
  let res: QueryResult;
  try {
    res = await withTimeout(signal, timeoutMs, (s) => deps.engine.rangeQuery(query, start, end, durationMs(stepNs), s));
  } catch (err) {
    // NewRangeQuery's type/step checks are bare bad_data in 2.42.
    const c = classifyError(err);
    if (c.type === 'bad_data') throw apiError('bad_data', c.message, err);
    throw err;
  }
  return queryResponse(res, deps);
}

/** Results with more points than this are streamed instead of built as one string. */
export const STREAM_POINTS = 100_000;

function queryResponse(res: QueryResult, deps: PrometheusApiDeps): HttpResponse {
  if (pointCount(res.value) > (deps.streamPoints ?? STREAM_POINTS)) return successStreamResponse(queryDataChunks(res.value), res.warnings);
  return successResponse(queryDataJson(res.value), res.warnings);
}

/** GET/POST `/api/v1/format_query`: the parsed query as 2.42's `Pretty(0)`. */
export async function handleFormatQuery(form: FormValues): Promise<HttpResponse> {
  let text: string;
  try {
    text = prettyExpr(parseExpr(form.get('query')));
  } catch (err) {
    throw invalidParam('query', err instanceof Error ? err.message : String(err), err);
  }
  return successResponse(goJsonString(text));
}

/**
 * Runs `fn` with a signal aborted by the client's signal or after `timeoutMs`. When the timeout
 * fired, the engine's cancellation becomes 2.42's `query timed out in <phase>` (type `timeout`);
 * a timeout ≤ 0 fails at once with `query timed out in query execution` (2.42 says that or
 * `… in query queue`, depending on a race).
 */
async function withTimeout<T>(signal: AbortSignal, timeoutMs: number | undefined, fn: (s: AbortSignal) => Promise<T>): Promise<T> {
  if (timeoutMs === undefined) return fn(signal);
  if (timeoutMs <= 0) throw apiError('timeout', 'query timed out in query execution');
  const ac = new AbortController();
  let timedOut = false;
  const onAbort = (): void => ac.abort(signal.reason);
  if (signal.aborted) ac.abort(signal.reason); else signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => { timedOut = true; ac.abort(new Error('query timeout')); }, timeoutMs);
  try {
    return await fn(ac.signal);
  } catch (err) {
    if (timedOut && classifyError(err).type === 'canceled') {
      const phase = /\bin ([^:]+)$/.exec(classifyError(err).message)?.[1] ?? 'query execution';
      throw apiError('timeout', `query timed out in ${phase}`, err);
    }
    throw err;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
