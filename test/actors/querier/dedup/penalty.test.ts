import t from 'tap';
import { dedupPenalty, INITIAL_PENALTY_MS } from '../../../../actors/querier/dedup/penalty.js';
import { samplesOf } from '../../../../actors/querier/dedup/samples.js';
import { bitsAt, decreases, pairs, resetAwareIncrease, sec, STALE_BITS, staleSamples } from './helpers.js';

// Every expected output below is derived by hand from the algorithm's rules (see penalty.ts):
// pick the earlier of the two replicas' next samples (tie → A); after emitting at lastT, the other
// replica must seek to ≥ lastT + 1 + 2 × (lastT − previous lastT), or + 5000 ms before anything was
// emitted; a replica that seeks past its end is done.

const S = (tsSec: number[], vs: number[]) => staleSamples(sec(tsSec), vs);
const P = (tsSec: number[], vs: number[]): [number, number][] => tsSec.map((x, i) => [x * 1000, vs[i]!]);

t.test('penalty - table', async (t) => {
  const cases: { name: string; a: [number[], number[]]; b: [number[], number[]]; counter?: boolean; want: [number[], number[]] }[] = [
    {
      // A wins the tie at 0; B must then seek past 5 s, then past 10+20, … — it never catches up.
      name: 'identical replicas give one copy',
      a: [[0, 15, 30, 45], [1, 2, 3, 4]], b: [[0, 15, 30, 45], [1, 2, 3, 4]],
      want: [[0, 15, 30, 45], [1, 2, 3, 4]],
    },
    {
      // A: 0,10,20 then silent until 60. After A@20 (gap 10) B must be ≥ 40.001 → B@45 < A@60: switch.
      // A must then be ≥ 45.001 + 2×25 = 95.001: past its end, so B to the end.
      name: 'one replica with a gap: switch after 2x the last interval',
      a: [[0, 10, 20, 60, 70, 80], [0, 10, 20, 60, 70, 80]],
      b: [[5, 15, 25, 35, 45, 55, 65, 75, 85], [1005, 1015, 1025, 1035, 1045, 1055, 1065, 1075, 1085]],
      want: [[0, 10, 20, 45, 55, 65, 75, 85], [0, 10, 20, 1045, 1055, 1065, 1075, 1085]],
    },
    {
      // Scrape-offset replicas without gaps: A is earlier and B is always pushed past A's next sample.
      name: 'offset timestamps: stays on the earlier replica',
      a: [[0, 10, 20, 30, 40], [1, 2, 3, 4, 5]], b: [[5, 15, 25, 35, 45], [11, 12, 13, 14, 15]],
      want: [[0, 10, 20, 30, 40], [1, 2, 3, 4, 5]],
    },
    {
      // B earlier: B@0; A must be ≥ 5.001 → A@10 > B@10? tie at 10 → A (tie rule) → then A sticks:
      // B must be ≥ 10.001 + 20 → B@40 vs A@20: A; …
      name: 'the earliest sample decides the start; ties go to A',
      a: [[10, 20, 30, 40], [1, 2, 3, 4]], b: [[0, 10, 20, 30, 40], [10, 11, 12, 13, 14]],
      want: [[0, 10, 20, 30, 40], [10, 1, 2, 3, 4]],
    },
    {
      // A: 0..30 then 70..200; B: 0..80 then 120..200 (steps of 10).
      // A@0,10,20,30 (B pushed to ≥ 50.001 → B@50? no: after A@30 B ≥ 30.001+20 → B@60 … see below)
      // A@30: lastT 30, pen B = 20 → B ≥ 50.001 → 60; A's next is 70 → B@60, pen A = 60 → A ≥ 120.001 → 130.
      // B@70 (pen A 20), B@80 (pen A 20), B's next is 120 < A@130 → B@120, pen A = 80 → A ≥ 200.001: done.
      // B@130 … B@200.
      name: 'alternating gaps: switches when the current replica stalls, never interleaves',
      a: [[0, 10, 20, 30, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200], new Array(18).fill(1)],
      b: [[0, 10, 20, 30, 40, 50, 60, 70, 80, 120, 130, 140, 150, 160, 170, 180, 190, 200], new Array(18).fill(2)],
      want: [[0, 10, 20, 30, 60, 70, 80, 120, 130, 140, 150, 160, 170, 180, 190, 200], [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]],
    },
    {
      // Counter mode: B resets (its own process restarted), A does not and never has a gap, so the
      // output is A alone and B's reset never shows.
      name: 'counter reset in one replica only is invisible while the other is healthy',
      counter: true,
      a: [[0, 10, 20, 30, 40], [100, 110, 120, 130, 140]], b: [[5, 15, 25, 35, 45], [105, 115, 0, 10, 20]],
      want: [[0, 10, 20, 30, 40], [100, 110, 120, 130, 140]],
    },
    {
      name: 'one replica empty',
      a: [[], []], b: [[0, 10], [1, 2]],
      want: [[0, 10], [1, 2]],
    },
  ];
  for (const c of cases) {
    const got = dedupPenalty([S(...c.a), S(...c.b)], { counter: c.counter ?? false });
    t.same(pairs(got), P(...c.want), c.name);
  }
});

t.test('penalty - the initial penalty is 5000 ms', async (t) => {
  t.equal(INITIAL_PENALTY_MS, 5000);
  // B@4.999 s is within 5 s of A@0 → skipped, then A@20 (B must be ≥ 40.001: done).
  const a = samplesOf([0, 20000], [1, 2]);
  t.same(pairs(dedupPenalty([a, samplesOf([4999, 20001], [9, 9])], { counter: false })), [[0, 1], [20000, 2]]);
  // B@5.001 s is not → taken (A's next is 20 s); A must then be ≥ 5001 + 1 + 2×5001 = 15004 → A@20
  // is earlier than B@20.001 → back to A; B must be ≥ 20001 + 2×14999: done.
  t.same(pairs(dedupPenalty([a, samplesOf([5001, 20001], [9, 9])], { counter: false })), [[0, 1], [5001, 9], [20000, 2]]);
});

t.test('penalty - three replicas chain as ((r0 ⊕ r1) ⊕ r2)', async (t) => {
  // r0 dies after 20 s, r1 after 55 s, r2 runs on. Inner r0⊕r1 yields r0@0,10,20 then r1@45,55
  // (r1 had to pass 20.001 + 20). Outer: inner@0 (r2 ≥ 5.001), inner@10 (r2 ≥ 30.001), inner@20
  // (r2 ≥ 40.001 → r2@42), then r2@42 < inner@45 → switch; inner must be ≥ 42.001 + 44: done → r2 to the end.
  const r0 = S([0, 10, 20], [1, 1, 1]);
  const r1 = S([5, 15, 25, 35, 45, 55], [2, 2, 2, 2, 2, 2]);
  const r2 = S([2, 12, 22, 32, 42, 52, 62, 72, 82, 92, 102, 112], new Array(12).fill(3));
  t.same(pairs(dedupPenalty([r0, r1, r2], { counter: false })), P([0, 10, 20, 42, 52, 62, 72, 82, 92, 102, 112], [1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3]));
});

t.test('penalty - stale markers are kept bit-exact, also across an adjusted switch', async (t) => {
  const a = S([0, 10, 20], [1, Number.NaN, 3]);
  const b = S([0, 10, 20], [7, 8, 9]);
  const got = dedupPenalty([a, b], { counter: false });
  t.same(Array.from(got.ts), sec([0, 10, 20]));
  t.equal(bitsAt(got.vs, 1), STALE_BITS, 'stale marker bits preserved');

  // Counter mode: A dies after 10 s at 110; B (lower by 30 since it restarted) resumes with a stale
  // marker at 35 then 90 at 45. A@0, A@10 (B pushed to ≥ 30.001 → 35), then A is done → B@35 (stale,
  // nothing to compare) and the pending adjustment lands on B@45: 110 − 90 = +20 → 110, then 100+20.
  const ca = S([0, 10], [100, 110]);
  const cb = S([5, 15, 25, 35, 45, 55], [50, 60, 70, Number.NaN, 90, 100]);
  const cg = dedupPenalty([ca, cb], { counter: true });
  t.same(Array.from(cg.ts), sec([0, 10, 35, 45, 55]));
  t.equal(bitsAt(cg.vs, 2), STALE_BITS, 'stale marker not turned into a plain NaN by the offset');
  t.same([cg.vs[0], cg.vs[1], cg.vs[3], cg.vs[4]], [100, 110, 110, 120]);
  t.equal(decreases(cg.vs), 0);
});

t.test('penalty - thanos #2401: switching onto a replica whose counter lags is not a reset', async (t) => {
  // Counter totals as downsampled COUNTER aggregates carry them: both replicas saw a target restart,
  // r1 last saw 40 before it, r2 saw 45, so afterwards r1 runs 5 below r2 (the example in Thanos's
  // counterErrAdjust comment). Scrapes every 20 s, r2 offset by 10 s, both with holes.
  const r1 = S([0, 20, 40, 100, 120], [20, 30, 40, 40, 45]);
  const r2 = S([10, 30, 50, 110], [25, 35, 45, 47]);
  // r1@0 (r2 ≥ 5.001 → 10); r2@10 < r1@20 → r2, pen r1 = 20 → r1 ≥ 30.001 → 40; r2@30, pen r1 = 40 →
  // r1 ≥ 70.001 → 100; r2@50 (45), pen r1 = 40; r2 next is 110 > r1@100 → switch to r1 with last
  // value 45: r1 is at 40 → offset +5 → 45; pen r2 = 100 → r2 done; r1@120 → 50.
  const adjusted = dedupPenalty([r1, r2], { counter: true });
  t.same(pairs(adjusted), P([0, 10, 30, 50, 100, 120], [20, 25, 35, 45, 45, 50]));
  t.equal(decreases(adjusted.vs), 0, 'no fake reset');
  t.equal(resetAwareIncrease(adjusted.vs), 30, 'increase is the counter growth, 50 − 20');
  // Without the adjustment (gauge mode) the switch shows 45 → 40: a "reset" worth +40.
  const plain = dedupPenalty([r1, r2], { counter: false });
  t.same(Array.from(plain.vs), [20, 25, 35, 45, 40, 45]);
  t.equal(resetAwareIncrease(plain.vs), 70, 'what rate() would see without the fix');
});

t.test('penalty - no adjustment before the first emitted sample (thanos #9034 / PR #9041)', async (t) => {
  // A counter growing exactly 1/s, scraped every 30 s by two replicas 15 s apart; B starts first.
  // B@0 (A must be ≥ 5.001: A@15 stays); A@15 < B@30 → switch to A, last value 0 < 15: no offset;
  // pen B = 30 → B ≥ 45.001 → 60; A@45 (pen B 60 → B ≥ 105.001: done), A@75, A@105.
  const a = S([15, 45, 75, 105], [15, 45, 75, 105]);
  const b = S([0, 30, 60, 90], [0, 30, 60, 90]);
  const got = dedupPenalty([a, b], { counter: true });
  t.same(pairs(got), P([0, 15, 45, 75, 105], [0, 15, 45, 75, 105]));
  t.equal(resetAwareIncrease(got.vs) / 105, 1, 'rate is exactly 1/s (Thanos would offset B by 15 and report 90/105)');
});
