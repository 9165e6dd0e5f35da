import { compareLabels, labelsEqual, type Labels } from '../../shared/labels/labels.js';
import type { AggrChunk } from '../../shared/storeapi/types.js';
import type { MergedSeries } from '../merge/merge-series.js';
import { withoutReplicaLabels } from './replica-labels.js';

/**
 * Groups merged series (one per full label set, replica labels included, as mergeSeries yields
 * them after combining identical label sets across stores) by their labels without the replica
 * labels: one MergedSeries per group, label-sorted by the stripped labels, whose `replica[i]` is the
 * index (within the group) of the full label set chunk i came from. So each distinct combination of
 * replica-label values is one replica for deduplication, however many stores its data came from
 * (e.g. store gateways partitioned by time). Chunks are sorted by (minTime, maxTime, replica);
 * `origin` indexes the concatenated `parts`. With no replica labels the input is returned as is.
 */
export function groupByReplicaLabels(series: readonly MergedSeries[], replicaLabels: readonly string[]): MergedSeries[] {
  if (replicaLabels.length === 0) return series.slice();
  const keyed = series.map((s, i) => ({ s, i, labels: withoutReplicaLabels(s.labels, replicaLabels) }));
  keyed.sort((a, b) => compareLabels(a.labels, b.labels) || a.i - b.i);
  const out: MergedSeries[] = [];
  for (let i = 0; i < keyed.length;) {
    let j = i + 1;
    while (j < keyed.length && labelsEqual(keyed[j]!.labels, keyed[i]!.labels)) j++;
    out.push(combineReplicas(keyed[i]!.labels, keyed.slice(i, j).map((k) => k.s)));
    i = j;
  }
  return out;
}

/** One series from the replicas of one stripped label set; replica group = member index. */
function combineReplicas(labels: Labels, members: readonly MergedSeries[]): MergedSeries {
  if (members.length === 1) {
    const m = members[0]!;
    return { labels, chunks: m.chunks, origin: m.origin, replica: new Int32Array(m.chunks.length), parts: m.parts };
  }
  const all: { c: AggrChunk; r: number; o: number }[] = [];
  const parts: number[] = [];
  members.forEach((m, r) => {
    const off = parts.length;
    parts.push(...m.parts);
    m.chunks.forEach((c, k) => all.push({ c, r, o: off + m.origin[k]! }));
  });
  all.sort((a, b) => a.c.minTime - b.c.minTime || a.c.maxTime - b.c.maxTime || a.r - b.r);
  return {
    labels, chunks: all.map((x) => x.c), origin: Int32Array.from(all, (x) => x.o), replica: Int32Array.from(all, (x) => x.r), parts,
  };
}
