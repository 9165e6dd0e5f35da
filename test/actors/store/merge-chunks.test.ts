// mergeChunks (one series' chunks from several blocks): whatever the lists' order, overlap or
// emptiness, the result is every chunk exactly once, sorted by minTime, ties in list order.
import t from 'tap';
import type { AggrChunk } from '../../../actors/shared/storeapi/types.js';
import { mergeChunks } from '../../../actors/store/series-merge.js';

function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

t.test('random block lists: same as a stable sort of all chunks by minTime', async (t) => {
  const r = rng(42);
  let bad = 0, chainedCases = 0;
  for (let round = 0; round < 3000; round++) {
    const blocks = 1 + Math.floor(r() * 5);
    const overlap = r() < 0.3;
    const lists: AggrChunk[][] = [];
    for (let b = 0; b < blocks; b++) {
      const n = Math.floor(r() * 5);
      // Non-overlapping blocks are 1000 ms apart; overlapping ones start anywhere in the first 3000 ms.
      let tm = overlap ? Math.floor(r() * 3000) : b * 1000;
      const l: AggrChunk[] = [];
      for (let k = 0; k < n; k++) { l.push({ minTime: tm, maxTime: tm + 100, raw: { type: 'XOR', data: new Uint8Array([b, k]) } }); tm += 100 + Math.floor(r() * (overlap ? 300 : 150)); }
      lists.push(l);
    }
    // Blocks arrive in any order (the merge pops equal label sets from a heap).
    for (let i = lists.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [lists[i], lists[j]] = [lists[j]!, lists[i]!]; }
    const want = lists.flat().sort((a, b) => a.minTime - b.minTime);
    const got = mergeChunks(lists);
    if (!overlap) chainedCases++;
    if (got.length !== want.length || got.some((c, i) => c !== want[i])) bad++;
  }
  t.equal(bad, 0, 'no mismatch in 3000 random cases');
  t.ok(chainedCases > 1000, 'many cases take the chained path');
});

t.test('the result is a new array, never one of the inputs', async (t) => {
  const a: AggrChunk[] = [{ minTime: 0, maxTime: 1, raw: { type: 'XOR', data: new Uint8Array(1) } }];
  for (const lists of [[a], [a, []], [[], a, []]]) {
    const got = mergeChunks(lists);
    t.not(got, a);
    t.same(got, a);
  }
});
