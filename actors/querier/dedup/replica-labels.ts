import type { Labels } from '../../shared/labels/labels.js';

/**
 * The label set without the given replica labels (order kept, so a sorted set stays sorted).
 * Returns the input itself when none of them is present (no allocation on the common path).
 */
export function withoutReplicaLabels(labels: Labels, replicaLabels: readonly string[]): Labels {
  if (replicaLabels.length === 0) return labels;
  let hit = false;
  for (const l of labels) if (replicaLabels.includes(l.name)) { hit = true; break; }
  if (!hit) return labels;
  return labels.filter((l) => !replicaLabels.includes(l.name));
}
