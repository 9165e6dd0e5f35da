import type { AggrChunk } from '../../shared/storeapi/types.js';

/**
 * Splits one merged series' chunks into pseudo-replicas for deduplication: each pseudo-replica is a
 * list of chunk indexes, in time order, whose chunks do not overlap and all belong to the same
 * replica group (`group[i]`: MergedSeries.replica — when deduplicating, the replica-label value
 * the chunk came from, see groupByReplicaLabels; every store holding part of that replica is in it).
 *
 * Within a group, chunks are placed greedily: a chunk joins the first pseudo-replica of its group
 * whose last chunk ends before it starts, else it opens a new one (as Thanos's NewOverlapSplit).
 * Unlike Thanos, chunks of different groups are never concatenated into one pseudo-replica: doing
 * so splices replicas together without the penalty and counter logic ever seeing a switch, which
 * lets a lower counter value follow a higher one (a fake reset, the rate spikes of thanos #7623).
 * Pseudo-replicas are returned in the order they were opened (so the earliest data comes first).
 */
export function splitReplicas(chunks: readonly AggrChunk[], group: Int32Array | readonly number[]): number[][] {
  const replicas: number[][] = [];
  const partOf: number[] = [];
  const lastMax: number[] = [];
  outer: for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    const part = group[i] ?? 0;
    for (let r = 0; r < replicas.length; r++) {
      if (partOf[r] === part && lastMax[r]! < c.minTime) {
        replicas[r]!.push(i);
        lastMax[r] = c.maxTime;
        continue outer;
      }
    }
    replicas.push([i]);
    partOf.push(part);
    lastMax.push(c.maxTime);
  }
  return replicas;
}
