/**
 * The `data` of `/api/v1/query` and `/api/v1/query_range` as Prometheus 2.42 writes it:
 * `{"resultType":"<type>","result":<result>}` with
 * - vector: `[{"metric":{…},"value":[<ts>,"<v>"]},…]`
 * - matrix: `[{"metric":{…},"values":[[<ts>,"<v>"],…]},…]` (a series without points has no `values`)
 * - scalar: `[<ts>,"<v>"]`, string: `[<ts>,"<s>"]`
 * Vector/matrix timestamps use `jsonutil.MarshalTimestamp` (`1.500`), values `jsonutil.MarshalValue`;
 * scalar/string results use `encoding/json` of `ms/1000` (`1.5`) and `FormatFloat(v,'f',-1,64)`.
 */
import { formatFloatF, formatJsonNumber, formatSampleTimestamp, formatSampleValue } from '../format/api-json.js';
import type { MatrixSeries, QueryValue, Sample } from '../engine/result.js';
import { goJsonLabels, goJsonString } from './go-json.js';

/** `{"resultType":…,"result":…}` for a query value. */
export function queryDataJson(value: QueryValue): string {
  return '{"resultType":"' + value.type + '","result":' + resultJson(value) + '}';
}

/** The `result` member alone. */
export function resultJson(value: QueryValue): string {
  switch (value.type) {
    case 'scalar': return '[' + formatJsonNumber(value.t / 1000) + ',"' + formatFloatF(value.v) + '"]';
    case 'string': return '[' + formatJsonNumber(value.t / 1000) + ',' + goJsonString(value.v) + ']';
    case 'vector': return vectorJson(value.samples);
    case 'matrix': return matrixJson(value.series);
  }
}

function vectorJson(samples: readonly Sample[]): string {
  const parts: string[] = new Array<string>(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    parts[i] = '{"metric":' + goJsonLabels(s.labels) + ',"value":[' + formatSampleTimestamp(s.t) + ',"' + formatSampleValue(s.v) + '"]}';
  }
  return '[' + parts.join(',') + ']';
}

function matrixJson(series: readonly MatrixSeries[]): string {
  const parts: string[] = new Array<string>(series.length);
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    let out = '{"metric":' + goJsonLabels(s.labels);
    const n = s.ts.length;
    if (n > 0) {
      const pts: string[] = new Array<string>(n);
      for (let k = 0; k < n; k++) pts[k] = '[' + formatSampleTimestamp(s.ts[k]!) + ',"' + formatSampleValue(s.vs[k]!) + '"]';
      out += ',"values":[' + pts.join(',') + ']';
    }
    parts[i] = out + '}';
  }
  return '[' + parts.join(',') + ']';
}

/** Number of points a value holds (vector samples, matrix points; 1 for scalar/string). */
export function pointCount(value: QueryValue): number {
  if (value.type === 'vector') return value.samples.length;
  if (value.type !== 'matrix') return 1;
  let n = 0;
  for (const s of value.series) n += s.ts.length;
  return n;
}

/**
 * The same text as {@link queryDataJson}, in pieces of about `chunkChars` characters (for
 * streaming results too large for one string).
 */
export function* queryDataChunks(value: QueryValue, chunkChars = 1 << 16): Generator<string> {
  if (value.type !== 'vector' && value.type !== 'matrix') { yield queryDataJson(value); return; }
  let buf = '{"resultType":"' + value.type + '","result":[';
  const n = value.type === 'vector' ? value.samples.length : value.series.length;
  for (let i = 0; i < n; i++) {
    const one = value.type === 'vector' ? vectorJson([value.samples[i]!]) : matrixJson([value.series[i]!]);
    buf += (i === 0 ? '' : ',') + one.slice(1, -1);
    if (buf.length >= chunkChars) { yield buf; buf = ''; }
  }
  yield buf + ']}';
}
