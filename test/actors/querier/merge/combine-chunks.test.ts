import t from 'tap';
import { combineChunks, sameChunk } from '../../../../actors/querier/merge/combine-chunks.js';
import type { AggrChunk } from '../../../../actors/shared/storeapi/types.js';

const c = (minTime: number, maxTime: number, tag: number, part: 'raw' | 'counter' = 'raw'): AggrChunk =>
  ({ minTime, maxTime, [part]: { type: 'XOR', data: Uint8Array.of(tag) } });

t.test('combineChunks - replica groups follow shared identical chunks transitively', async (t) => {
  // parts: 0 and 3 share (0,10,#1); 3 and 1 share (20,30,#5); part 2 shares nothing.
  const r = combineChunks([[c(0, 10, 1)], [c(20, 30, 5), c(40, 50, 6)], [c(0, 10, 9)], [c(0, 10, 1), c(20, 30, 5)]]);
  t.same(r.chunks.map((x) => [x.minTime, x.raw!.data[0]]), [[0, 1], [0, 9], [20, 5], [40, 6]]);
  t.same(Array.from(r.origin), [0, 2, 1, 1]);
  t.same(Array.from(r.replica), [0, 2, 0, 0], 'parts 0, 1 and 3 are one replica; part 2 its own');
});

t.test('combineChunks - one part: sorted, exact duplicates dropped, same-range different chunks kept', async (t) => {
  const r = combineChunks([[c(20, 30, 1), c(0, 10, 2), c(0, 10, 2), c(0, 10, 3)]]);
  t.same(r.chunks.map((x) => [x.minTime, x.raw!.data[0]]), [[0, 2], [0, 3], [20, 1]]);
  t.same(Array.from(r.replica), [0, 0, 0]);
  const sorted = [c(0, 10, 1), c(11, 20, 2)];
  t.same(combineChunks([sorted]).chunks, sorted, 'already sorted: kept as is');
});

t.test('sameChunk - range, every part and its bytes must match', async (t) => {
  t.ok(sameChunk(c(0, 1, 1), c(0, 1, 1)));
  t.notOk(sameChunk(c(0, 1, 1), c(0, 2, 1)));
  t.notOk(sameChunk(c(0, 1, 1), c(0, 1, 2)));
  t.notOk(sameChunk(c(0, 1, 1), c(0, 1, 1, 'counter')));
  t.notOk(sameChunk({ minTime: 0, maxTime: 1, raw: { type: 'XOR', data: Uint8Array.of(1) } }, { minTime: 0, maxTime: 1, raw: { type: 'HISTOGRAM', data: Uint8Array.of(1) } }));
});
