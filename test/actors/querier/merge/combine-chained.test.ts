// combineChunks on time-partitioned copies (each store holds a different time range): the result is
// the chunks in time order, each keeping its part as origin and replica group, whatever order the
// parts come in; overlapping parts still take the general path (duplicates dropped, groups joined).
import fc from 'fast-check';
import t from 'tap';
import { combineChunks } from '../../../../actors/querier/merge/combine-chunks.js';
import type { AggrChunk } from '../../../../actors/shared/storeapi/types.js';

const chunk = (minTime: number, maxTime: number, b = 0): AggrChunk => ({ minTime, maxTime, raw: { type: 'XOR', data: Uint8Array.of(b, minTime & 0xff) } });

t.test('property: disjoint sorted parts in any order come out in time order with their own groups', async (t) => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }),
    fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 5 }),
    fc.integer({ min: 0, max: 1000 }),
    (gaps, cuts, seed) => {
      let at = 0;
      const all = gaps.map((g) => { const c = chunk(at, at + g - 1); at += g; return c; });
      // Split into contiguous parts (some possibly empty), then rotate their order.
      const parts: AggrChunk[][] = [];
      let from = 0;
      for (const c of cuts) { parts.push(all.slice(from, Math.min(all.length, from + c))); from = Math.min(all.length, from + c); }
      parts.push(all.slice(from));
      const k = seed % parts.length;
      const shuffled = [...parts.slice(k), ...parts.slice(0, k)];
      const r = combineChunks(shuffled);
      t.same(r.chunks, all);
      const partOf = (c: AggrChunk) => shuffled.findIndex((p) => p.includes(c));
      t.same([...r.origin], r.chunks.map(partOf));
      t.same([...r.replica], [...r.origin]);
    }), { numRuns: 200 });
});

t.test('overlapping parts still drop exact duplicates and join their groups', async (t) => {
  const a = [chunk(0, 9), chunk(10, 19)], b = [chunk(10, 19), chunk(20, 29)];
  const r = combineChunks([a, b]);
  t.same(r.chunks.map((c) => c.minTime), [0, 10, 20]);
  t.same([...r.replica], [0, 0, 0], 'a shared chunk makes both parts one replica group');
  const c = [chunk(5, 14, 9)];
  const r2 = combineChunks([a, c]);
  t.same(r2.chunks.map((x) => x.minTime), [0, 5, 10], 'partial overlap: sorted, nothing dropped');
  t.same([...r2.replica], [0, 1, 0]);
});

t.test('property: two overlapping sorted parts (linear merge) combine exactly as the general sort does', async (t) => {
  // A third, empty part leaves the answer unchanged but takes the general sort path: the reference.
  const sorted = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1 })), { maxLength: 12 })
    .map((xs) => {
      const seen = new Set<string>();
      return xs.map(([m, len, b]) => chunk(m, m + len, b)).sort((x, y) => x.minTime - y.minTime || x.maxTime - y.maxTime)
        .filter((c) => { const k = `${c.minTime}:${c.maxTime}`; if (seen.has(k)) return false; seen.add(k); return true; });
    });
  fc.assert(fc.property(sorted, sorted, (a, b) => {
    const got = combineChunks([a, b]), want = combineChunks([a, b, []]);
    t.same(got.chunks, want.chunks);
    t.same([...got.origin], [...want.origin]);
    t.same([...got.replica], [...want.replica]);
  }), { numRuns: 300 });
});
