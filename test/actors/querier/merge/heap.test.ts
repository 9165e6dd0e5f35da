import fc from 'fast-check';
import t from 'tap';
import { IdHeap } from '../../../../actors/querier/merge/heap.js';

t.test('heap - pops ids in key order (ties by id), seeded', async (t) => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (keys) => {
    const h = new IdHeap(keys.length, (x, y) => keys[x]! < keys[y]! || (keys[x] === keys[y] && x < y));
    keys.forEach((_, i) => h.push(i));
    const out: number[] = [];
    for (let id = h.pop(); id !== undefined; id = h.pop()) out.push(id);
    const want = keys.map((_, i) => i).sort((x, y) => keys[x]! - keys[y]! || x - y);
    return out.length === want.length && out.every((x, i) => x === want[i]);
  }), { seed: 7, numRuns: 200 });
  t.pass();
});

t.test('heap - refuses to grow past its capacity', async (t) => {
  const h = new IdHeap(1, (x, y) => x < y);
  h.push(0);
  t.throws(() => h.push(1), RangeError);
  t.equal(h.peek(), 0);
  t.equal(h.pop(), 0);
  t.equal(h.pop(), undefined);
});
