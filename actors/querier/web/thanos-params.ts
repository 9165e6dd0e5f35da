import type { Matcher } from '../../shared/labels/matcher.js';
import { invalidParam, apiError } from '../../shared/promql/api/envelope.js';
import type { FormValues } from '../../shared/promql/api/form.js';
import { parseMatcherSets } from '../../shared/promql/api/matchers.js';
import { durationMs, ParamSyntaxError, parseDurationNs } from '../../shared/promql/api/params.js';

/** Thanos's per-request extras of the query API, resolved against the querier's defaults. */
export interface ThanosParams {
  readonly dedup: boolean;
  readonly partialResponse: boolean;
  /** ms; 0 = raw only. */
  readonly maxSourceResolutionMs: number;
  readonly replicaLabels: readonly string[];
  readonly storeMatch: readonly (readonly Matcher[])[];
}

export interface ThanosDefaults {
  readonly replicaLabels: readonly string[];
  /** `--query.partial-response` (true = WARN). */
  readonly partialResponse: boolean;
  /** `--query.auto-downsampling`: range queries without `max_source_resolution` use step/5. */
  readonly autoDownsampling: boolean;
}

/** Go's strconv.ParseBool. */
export function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

function boolParam(form: FormValues, name: string, dflt: boolean): boolean {
  const v = form.get(name);
  if (v === '') return dflt;
  const b = parseGoBool(v);
  if (b === undefined) throw invalidParam(name, `cannot parse ${JSON.stringify(v)} as a boolean`);
  return b;
}

function durationParamMs(form: FormValues, name: string): number {
  try {
    return durationMs(parseDurationNs(form.get(name)));
  } catch (err) {
    if (err instanceof ParamSyntaxError) throw invalidParam(name, err.message);
    throw err;
  }
}

/**
 * Reads `dedup` (default true), `partial_response` (default `--query.partial-response`),
 * `max_source_resolution` (`auto` = step/5 for range queries, `0s`/`0` raw, a duration; negative
 * rejected), `replicaLabels[]` (replaces the configured replica labels when given) and
 * `storeMatch[]` (series selectors over `__address__`). `stepMs` is the range query's step, if any.
 */
export function parseThanosParams(form: FormValues, d: ThanosDefaults, stepMs: number | undefined): ThanosParams {
  const dedup = boolParam(form, 'dedup', true);
  const partialResponse = boolParam(form, 'partial_response', d.partialResponse);
  const msr = form.get('max_source_resolution');
  let maxSourceResolutionMs = 0;
  if (msr === 'auto' || (msr === '' && d.autoDownsampling)) maxSourceResolutionMs = stepMs === undefined ? 0 : Math.floor(stepMs / 5);
  else if (msr !== '') {
    maxSourceResolutionMs = durationParamMs(form, 'max_source_resolution');
    if (maxSourceResolutionMs < 0) throw invalidParam('max_source_resolution', 'negative duration is not allowed');
  }
  const rl = form.getAll('replicaLabels[]');
  const replicaLabels = rl.length > 0 ? rl.filter((x) => x !== '') : d.replicaLabels;
  let storeMatch: readonly (readonly Matcher[])[] = [];
  const sm = form.getAll('storeMatch[]');
  if (sm.length > 0) {
    try { storeMatch = parseMatcherSets(sm); } catch (err) {
      throw apiError('bad_data', `invalid parameter "storeMatch[]": ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }
  return { dedup, partialResponse, maxSourceResolutionMs, replicaLabels, storeMatch };
}

/** The `step` of a range query in ms, or undefined when absent/unparsable (the handler reports that). */
export function stepOf(form: FormValues): number | undefined {
  if (form.get('step') === '') return undefined;
  try { return durationMs(parseDurationNs(form.get('step'))); } catch { return undefined; }
}
