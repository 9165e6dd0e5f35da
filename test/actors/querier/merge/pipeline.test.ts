import t from 'tap';
import { dedupSeries } from '../../../../actors/querier/dedup/series-dedup.js';
import { mergeSeries, type MergedSeries } from '../../../../actors/querier/merge/merge-series.js';
import { labelsFromObject } from '../../../../actors/shared/labels/labels.js';
import { inProcessStoreAPI } from '../../../../actors/shared/storeapi/in-process.js';
import { MemoryStore } from '../../../../actors/shared/storeapi/memory-store.js';
import { seriesRequest } from '../../../../actors/shared/storeapi/protocol.js';
import type { AggrChunk } from '../../../../actors/shared/storeapi/types.js';
import { pairs, testChunk, testDecoder } from '../dedup/helpers.js';

// Stores → in-process StoreAPI (validated, codec hop) → merge → dedup, for one counter scraped by
// two Prometheus replicas every 10 s (r1 5 s later, reading one less). Each replica's data is cut
// into an old chunk (uploaded: also served by the store gateway) and a recent one (sidecar only).
const sec = (from: number, to: number) => Array.from({ length: (to - from) / 10 + 1 }, (_, i) => (from + 10 * i) * 1000);
const chunk = (ts: number[], lag: number): AggrChunk => testChunk(ts, ts.map((x) => x / 1000 - lag));
const r0old = chunk(sec(0, 90), 0), r0new = chunk(sec(100, 190), 0);
const r1old = chunk(sec(5, 95), 1), r1new = chunk(sec(105, 195), 1);
const L = (replica: string) => labelsFromObject({ __name__: 'requests_total', job: 'api', replica });

async function query(): Promise<MergedSeries[]> {
  const gateway = new MemoryStore({ series: [{ labels: L('r0'), chunks: [r0old] }, { labels: L('r1'), chunks: [r1old] }], componentType: 'store' });
  const sidecar0 = new MemoryStore({ series: [{ labels: L('r0'), chunks: [r0old, r0new] }], componentType: 'sidecar' });
  const sidecar1 = new MemoryStore({ series: [{ labels: L('r1'), chunks: [r1old, r1new] }], componentType: 'sidecar' });
  const req = seriesRequest({ matchers: [{ type: '=', name: '__name__', value: 'requests_total' }], minTime: 0, maxTime: 200_000, withoutReplicaLabels: ['replica'] });
  const signal = new AbortController().signal;
  const inputs = [['gateway', gateway], ['sidecar-r0', sidecar0], ['sidecar-r1', sidecar1]] as const;
  const out: MergedSeries[] = [];
  for await (const f of mergeSeries(inputs.map(([name, s]) => ({ name, frames: inProcessStoreAPI(s, { wire: true }).series(req, signal) })), { partialResponseStrategy: 'ABORT' })) {
    if (f.kind === 'series') out.push(f.series);
  }
  return out;
}

t.test('pipeline - replicas across sidecars and a gateway: one series, r0 continuous, no switch', async (t) => {
  const merged = await query();
  t.equal(merged.length, 1, 'replica label removed: one label set');
  const m = merged[0]!;
  t.same(m.labels, labelsFromObject({ __name__: 'requests_total', job: 'api' }));
  // Parts: gateway's r0 frame, sidecar-r0, sidecar-r1, then gateway's r1 frame.
  t.same(m.parts, [0, 1, 2, 0]);
  // The uploaded chunks are served twice and dropped once each; the shared chunk proves
  // gateway-r0 ≡ sidecar-r0 and gateway-r1 ≡ sidecar-r1: two replica groups.
  t.same(m.chunks.map((c) => c.minTime / 1000), [0, 5, 100, 105]);
  t.same(Array.from(m.replica), [0, 2, 0, 2]);
  // r0 (earliest, never a gap) is taken whole; r1 is never spliced in.
  const got = dedupSeries(m, { func: 'penalty', counter: true, decoder: testDecoder });
  t.same(pairs(got), sec(0, 190).map((x) => [x, x / 1000]));
  // chain keeps every distinct timestamp of both replicas.
  t.equal(dedupSeries(m, { func: 'chain', counter: false, decoder: testDecoder }).ts.length, 40);
});
