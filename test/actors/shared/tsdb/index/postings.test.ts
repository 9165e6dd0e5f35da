// Postings set operations against a naive model (fast-check).
import t from 'tap';
import fc from 'fast-check';
import { intersectPostings, mergePostings, subtractPostings, EMPTY_POSTINGS } from '../../../../../actors/shared/tsdb/index/postings.js';

const sortedSet = fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 })
  .map((a) => Uint32Array.from(a.sort((x, y) => x - y)));
const toArr = (p: Uint32Array) => [...p];

t.test('merge is the sorted union', async (t) => {
  fc.assert(fc.property(fc.array(sortedSet, { maxLength: 6 }), (lists) => {
    const want = [...new Set(lists.flatMap(toArr))].sort((a, b) => a - b);
    t.same(toArr(mergePostings(lists)), want);
  }), { numRuns: 300 });
});

t.test('intersect is the sorted intersection', async (t) => {
  fc.assert(fc.property(fc.array(sortedSet, { minLength: 1, maxLength: 5 }), (lists) => {
    const want = toArr(lists[0]!).filter((x) => lists.every((l) => l.includes(x)));
    t.same(toArr(intersectPostings(lists)), want);
  }), { numRuns: 300 });
  t.same(intersectPostings([]), EMPTY_POSTINGS, 'intersection of no lists is empty, as in Prometheus');
});

t.test('subtract keeps what the second lacks', async (t) => {
  fc.assert(fc.property(sortedSet, sortedSet, (a, b) => {
    t.same(toArr(subtractPostings(a, b)), toArr(a).filter((x) => !b.includes(x)));
  }), { numRuns: 300 });
});

t.test('skewed sizes take the galloping path correctly', async (t) => {
  const big = Uint32Array.from({ length: 100_000 }, (_, i) => i * 3);
  const small = Uint32Array.from([0, 2, 3, 299_997, 299_998, 400_000]);
  t.same(toArr(intersectPostings([big, small])), [0, 3, 299_997]);
  t.same(toArr(subtractPostings(small, big)), [2, 299_998, 400_000]);
  t.equal(subtractPostings(big, small).length, 100_000 - 3);
});
