import fc from 'fast-check';
import t from 'tap';
import { dedupPenalty, dedupWithCursors } from '../../../../actors/querier/dedup/penalty.js';
import type { Samples } from '../../../../actors/querier/dedup/samples.js';
import { STALE_BITS } from './helpers.js';

// Differential test: the flat two-replica loop must make exactly the cursor implementation's
// decisions (timestamps and value bits), for gauges and counters, with holes, resets and stale markers.
const replica = fc.array(fc.record({
  dt: fc.integer({ min: 1, max: 40_000 }),
  dv: fc.integer({ min: -20, max: 100 }),
  stale: fc.integer({ min: 0, max: 19 }),
}), { maxLength: 120 }).map((steps): Samples => {
  const ts = new Float64Array(steps.length), vs = new Float64Array(steps.length);
  const bits = new BigUint64Array(vs.buffer);
  let t0 = 1_000_000, v = 1000;
  steps.forEach((s, i) => {
    t0 += s.dt; v += s.dv; ts[i] = t0;
    if (s.stale === 0) bits[i] = STALE_BITS; else vs[i] = v;
  });
  return { ts, vs };
});

function sameBits(x: Samples, y: Samples): boolean {
  if (x.ts.length !== y.ts.length) return false;
  const bx = new BigUint64Array(x.vs.buffer, x.vs.byteOffset, x.vs.length), by = new BigUint64Array(y.vs.buffer, y.vs.byteOffset, y.vs.length);
  for (let i = 0; i < x.ts.length; i++) if (x.ts[i] !== y.ts[i] || bx[i] !== by[i]) return false;
  return true;
}

t.test('penalty2 - flat loop equals the cursor implementation (seeded)', async (t) => {
  fc.assert(fc.property(replica, replica, fc.boolean(), (a, b, counter) =>
    sameBits(dedupPenalty([a, b], { counter }), dedupWithCursors([a, b], { counter }))), { seed: 424242, numRuns: 2000 });
  t.pass('2000 seeded runs');
});
