import t from 'tap';
import { decodeReplica } from '../../../../actors/querier/dedup/decode.js';
import { dedupPenalty } from '../../../../actors/querier/dedup/penalty.js';
import { dedupSeries } from '../../../../actors/querier/dedup/series-dedup.js';
import { splitReplicas } from '../../../../actors/querier/dedup/split.js';
import { mergeSeries, type MergedSeries } from '../../../../actors/querier/merge/merge-series.js';
import { labelsFromObject } from '../../../../actors/shared/labels/labels.js';
import type { SeriesFrame } from '../../../../actors/shared/storeapi/protocol.js';
import type { AggrChunk } from '../../../../actors/shared/storeapi/types.js';
import { decreases, pairs, resetAwareIncrease, testChunk, testDecoder } from './helpers.js';

const LABELS = labelsFromObject({ __name__: 'http_server_requests_seconds_count', uri: '/actuator/health' });

async function* stream(chunks: AggrChunk[]): AsyncGenerator<SeriesFrame> {
  yield { kind: 'series', series: { labels: LABELS, chunks } };
}

async function mergeOne(perStore: AggrChunk[][]): Promise<MergedSeries> {
  const out: MergedSeries[] = [];
  for await (const f of mergeSeries(perStore.map((c, i) => ({ name: `store-${i}`, frames: stream(c) })), { partialResponseStrategy: 'ABORT' })) {
    if (f.kind === 'series') out.push(f.series);
  }
  if (out.length !== 1) throw new Error(`want one merged series, got ${out.length}`);
  return out[0]!;
}

/** Thanos's provenance-blind greedy split (NewOverlapSplit), modelled from its description. */
function greedySplit(chunks: readonly AggrChunk[]): number[][] {
  const reps: number[][] = [];
  for (let i = 0; i < chunks.length; i++) {
    const r = reps.find((rep) => chunks[rep[rep.length - 1]!]!.maxTime < chunks[i]!.minTime);
    if (r) r.push(i); else reps.push([i]);
  }
  return reps;
}

t.test('split - chunks of one part are split only where they overlap', async (t) => {
  const c = (a: number, b: number) => testChunk([a, b], [0, 0]);
  const chunks = [c(0, 10), c(5, 15), c(11, 20), c(16, 30), c(21, 25)];
  t.same(splitReplicas(chunks, [0, 0, 0, 0, 0]), [[0, 2, 4], [1, 3]]);
  t.same(splitReplicas(chunks, [0, 1, 0, 1, 0]), [[0, 2, 4], [1, 3]]);
  t.same(splitReplicas(chunks, [0, 1, 1, 0, 0]), [[0, 3], [1], [2], [4]], 'never concatenates across parts (4 overlaps 3, 2 overlaps 1)');
});

t.test('thanos #7623 - three offset replicas: no rate spike from spliced chunks', async (t) => {
  // Three Prometheus replicas scrape one counter every 20 s, ~0.9 s apart (as in the issue:
  // r0 @ …786.6 s, r2 @ …787.413 s, r1 @ …787.488 s). Scrape timing jitter makes the replicas
  // disagree by one at nearly the same instant: r0 reads 78989 + 6k, r1 and r2 read 78988 + 6k.
  // The true rate is 6 / 20 s = 0.3/s.
  const K = 12;
  const series = (start: number, base: number) => ({
    ts: Array.from({ length: K }, (_, k) => start + 20_000 * k), vs: Array.from({ length: K }, (_, k) => base + 6 * k),
  });
  const r0 = series(786_600, 78_989), r1 = series(787_488, 78_988), r2 = series(787_413, 78_988);
  const cut = (s: { ts: number[]; vs: number[] }, from: number, to: number) => testChunk(s.ts.slice(from, to), s.vs.slice(from, to));
  // Chunk boundaries differ per replica (head chunks are cut by sample count and block boundaries):
  // r0: k 0–2 | 3–11; r2: k 0–1 | 2–11; r1: one chunk.
  const merged = await mergeOne([[cut(r0, 0, 3), cut(r0, 3, K)], [cut(r1, 0, K)], [cut(r2, 0, 2), cut(r2, 2, K)]]);
  t.equal(merged.chunks.length, 5);

  // Thanos: sorted by minTime the chunks are r0a(786.6–826.6) r2a(787.4–807.4) r1(787.5–…) r2b(827.4–…)
  // r0b(846.6–…). The greedy split appends r2b to r0a's pseudo-replica (826.6 < 827.4), so that
  // pseudo-replica reads 79001 @826.6 then 79000 @827.4: a decrease inside one "replica" that no
  // switch logic sees; the dedup stays on it, and rate() counts a reset worth ~79000.
  const thanosLike = dedupPenalty(greedySplit(merged.chunks).map((idx) => decodeReplica(merged.chunks, idx, 'raw', testDecoder)), { counter: true });
  t.equal(decreases(thanosLike.vs), 1, 'the provenance-blind split reproduces the spike');
  t.ok(resetAwareIncrease(thanosLike.vs) > 79_000, 'increase inflated by a whole counter value');

  // Ours: pseudo-replicas never mix parts, so the penalty dedup sees three clean replicas, stays on
  // r0 (earliest, no gaps), and the output is exactly r0.
  const got = dedupSeries(merged, { func: 'penalty', counter: true, decoder: testDecoder });
  t.same(pairs(got), r0.ts.map((x, i) => [x, r0.vs[i]!]));
  t.equal(decreases(got.vs), 0);
  t.equal(resetAwareIncrease(got.vs) / ((got.ts[K - 1]! - got.ts[0]!) / 1000), 0.3, 'rate 0.3/s');
});

t.test('dedupSeries - chain, aggregate part and clipping', async (t) => {
  const a = testChunk([0, 10, 20], [1, 2, 3]);
  const b = testChunk([0, 10, 20, 30], [1, 2, 3, 4]);
  const merged = await mergeOne([[a], [b]]);
  t.same(pairs(dedupSeries(merged, { func: 'chain', counter: false, decoder: testDecoder })), [[0, 1], [10, 2], [20, 3], [30, 4]]);
  t.same(pairs(dedupSeries(merged, { func: 'penalty', counter: false, decoder: testDecoder, minTime: 10, maxTime: 20 })), [[10, 2], [20, 3]]);
  const counterOnly: AggrChunk = { minTime: 0, maxTime: 20, counter: a.raw! };
  t.same(pairs(dedupSeries({ chunks: [counterOnly], replica: [0] }, { func: 'penalty', counter: true, decoder: testDecoder, part: 'counter' })), [[0, 1], [10, 2], [20, 3]]);
  t.same(pairs(dedupSeries({ chunks: [counterOnly], replica: [0] }, { func: 'penalty', counter: true, decoder: testDecoder })), [], 'no raw part: nothing decoded');
});
