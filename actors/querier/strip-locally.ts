import type { SeriesFrame } from '../shared/storeapi/protocol.js';
import { stripReplicaLabels } from '../shared/storeapi/select.js';
import type { Series } from '../shared/storeapi/types.js';

/**
 * For a store that does not support `withoutReplicaLabels` (Info `supportsWithoutReplicaLabels`
 * false): buffers its whole stream, removes the replica labels and re-sorts, as Thanos's proxy
 * does; warnings and hints pass through as they arrive.
 */
export async function* stripLocally(frames: AsyncIterable<SeriesFrame>, replicaLabels: readonly string[]): AsyncGenerator<SeriesFrame, void, undefined> {
  const all: Series[] = [];
  for await (const f of frames) {
    if (f.kind === 'series') all.push(f.series);
    else if (f.kind === 'batch') all.push(...f.series);
    else yield f;
  }
  for (const s of stripReplicaLabels(all, replicaLabels)) yield { kind: 'series', series: s };
}
