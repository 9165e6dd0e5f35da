import { getLabel, labelsKey, METRIC_NAME } from '../../labels/labels.js';
import { bucketQuantile, parseGoFloat } from '../functions/index.js';
import { mergeSameLabels } from './labels-util.js';
import type { StepSeries, VectorValue } from './values.js';
import { newSeries } from './values.js';

/**
 * Classic `histogram_quantile(φ, buckets)`: buckets grouped by all labels but `le` (the key keeps
 * `__name__`; the output drops it and `le`). Buckets whose `le` does not parse are skipped.
 */
export function histogramQuantile(q: Float64Array, v: VectorValue, n: number): VectorValue {
  interface Group { out: StepSeries; members: { bound: number; s: StepSeries }[] }
  const groups = new Map<string, Group>();
  const order: Group[] = [];
  for (const s of v.series) {
    const le = parseGoFloat(getLabel(s.labels, 'le') ?? '');
    if (le === undefined) continue;
    const keyLabels = s.labels.filter((l) => l.name !== 'le');
    const key = labelsKey(keyLabels);
    let g = groups.get(key);
    if (g === undefined) {
      g = { out: newSeries(keyLabels.filter((l) => l.name !== METRIC_NAME), n), members: [] };
      groups.set(key, g);
      order.push(g);
    }
    g.members.push({ bound: le, s });
  }
  let bounds = new Float64Array(16), counts = new Float64Array(16);
  for (const g of order) {
    if (g.members.length > bounds.length) { bounds = new Float64Array(g.members.length); counts = new Float64Array(g.members.length); }
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (const m of g.members) {
        if (m.s.has[i] === 0) continue;
        bounds[c] = m.bound; counts[c] = m.s.vs[i]!; c++;
      }
      if (c === 0) continue;
      g.out.vs[i] = bucketQuantile(q[i]!, bounds, counts, c);
      g.out.has[i] = 1;
    }
  }
  return { kind: 'vector', series: mergeSameLabels(order.map((g) => g.out), true) };
}
