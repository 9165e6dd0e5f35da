/** A grid of Series / LabelNames / LabelValues requests over generated (openMetricsText) data, to compare stores' answers. */
import type { MatcherSpec } from '../../../actors/shared/labels/matcher.js';
import { labelNamesRequest, labelValuesRequest, seriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import type { StoreAPI } from '../../../actors/shared/storeapi/storeapi.js';
import { collectSeries } from './series-decode.js';

export const START = 1699999200_000;
export const H = 3600_000;
const SELECTORS: MatcherSpec[][] = [
  [{ type: '=~', name: '__name__', value: 'gen_.+' }],
  [{ type: '=', name: '__name__', value: 'gen_requests_total' }, { type: '!=', name: 'instance', value: 'host-1:9100' }],
  [{ type: '=~', name: 'instance', value: 'host-(1|3.*):9100' }, { type: '=', name: 'job', value: 'api' }],
  [{ type: '=~', name: '__name__', value: '.+' }, { type: '=~', name: 'le', value: '0\\.5|\\+Inf' }],
  [{ type: '!~', name: '__name__', value: 'gen_req.*|gen_rpc.*' }, { type: '=~', name: '__name__', value: 'gen.*' }, { type: '=', name: 'quantile', value: '' }],
  [{ type: '=', name: 'job', value: 'node' }, { type: '!~', name: 'instance', value: 'host-3[0-9]:9100' }],
  [{ type: '=', name: 'instance', value: 'host-nope:9100' }],
  [{ type: '=~', name: 'job', value: '.+' }, { type: '=', name: 'nosuch', value: '' }],
];
const RANGES: [number, number][] = [[-1e15, 1e15], [START + 2 * H - 1, START + 3 * H]];
const NAMES = ['__name__', 'instance', 'le', 'cluster', 'nosuch'];

/** Every Series / LabelNames / LabelValues answer of `store` over the query grid, as one comparable value. */
export async function answers(store: StoreAPI): Promise<unknown[]> {
  const out: unknown[] = [];
  const signal = new AbortController().signal;
  for (const [min, max] of RANGES) {
    for (const ms of SELECTORS) {
      out.push((await collectSeries(store, seriesRequest({ matchers: ms, minTime: min, maxTime: max }))).series);
      out.push((await store.labelNames(labelNamesRequest({ matchers: ms, start: min, end: max }), signal)).names);
      for (const n of NAMES) out.push((await store.labelValues(labelValuesRequest({ label: n, matchers: ms, start: min, end: max }), signal)).values);
    }
    out.push((await store.labelNames(labelNamesRequest({ start: min, end: max }), signal)).names);
    for (const n of NAMES) out.push((await store.labelValues(labelValuesRequest({ label: n, start: min, end: max }), signal)).values);
  }
  return out;
}

