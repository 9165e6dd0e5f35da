// Deduplication through StoreQueryable + the engine: two replicas (replica="a"/"b") of one series
// with gaps, in two MemoryStores.
import t from 'tap';
import { Engine } from '../../../actors/shared/promql/engine/engine.js';
import { StoreQueryable } from '../../../actors/querier/store-queryable.js';
import { Matcher } from '../../../actors/shared/labels/matcher.js';
import { labelsToObject } from '../../../actors/shared/labels/labels.js';
import { memEndpoint, samples } from './helpers.js';

const H = 3600_000, STEP = 15_000;
const truth = (t: number) => t / 1000;
const gapA: [number, number][] = [[600_000, 1_200_000]];
const gapB: [number, number][] = [[2_000_000, 2_600_000]];
const engine = new Engine({});
const sel = [new Matcher('=', '__name__', 'x')];

async function stores(offsetA = 0, offsetB = 0) {
  return [
    await memEndpoint('a', { replica: 'a' }, [{ labels: { __name__: 'x', job: 'j' }, samples: samples(0, H, STEP, (t) => truth(t) + offsetA, gapA) }]),
    await memEndpoint('b', { replica: 'b' }, [{ labels: { __name__: 'x', job: 'j' }, samples: samples(0, H, STEP, (t) => truth(t) + offsetB, gapB) }]),
  ];
}

t.test('chain dedup reproduces the undeduplicated truth exactly', async (t) => {
  const eps = await stores();
  const q = new StoreQueryable({ stores: () => eps, replicaLabels: ['replica'], dedupFunc: 'chain' });
  const got = await q.select(sel, { startMs: 0, endMs: H });
  t.equal(got.length, 1);
  t.same(labelsToObject(got[0]!.labels), { __name__: 'x', job: 'j' }, 'replica label removed');
  const exp = samples(0, H, STEP, truth);
  t.same(Array.from(got[0]!.ts), exp.map((p) => p[0]));
  t.same(Array.from(got[0]!.vs), exp.map((p) => p[1]));
  t.same(q.warnings, []);
});

t.test('penalty dedup covers both gaps and never interleaves replicas', async (t) => {
  const eps = await stores();
  const q = new StoreQueryable({ stores: () => eps, replicaLabels: ['replica'] });
  const [s] = await q.select(sel, { startMs: 0, endMs: H });
  const ts = Array.from(s!.ts);
  for (let i = 1; i < ts.length; i++) t.ok(ts[i]! - ts[i - 1]! <= 3 * STEP, `no hole > 3 intervals at ${ts[i]}`) || t.end();
  t.ok(ts.every((x) => x % STEP === 0), 'every sample is a truth sample');
  t.ok(ts.length >= samples(0, H, STEP, truth).length - 4, 'at most a couple of samples skipped per switch');
  // Through the engine: the value at each 1m step equals the truth within one skipped sample.
  const r = await engine.rangeQuery(q, 'x', 0, H, 60_000);
  t.equal(r.value.type === 'matrix' && r.value.series.length, 1, 'one deduplicated series');
});

t.test('dedup=false returns both replicas with their replica labels', async (t) => {
  const eps = await stores();
  const q = new StoreQueryable({ stores: () => eps, replicaLabels: ['replica'], dedup: false });
  const got = await q.select(sel, { startMs: 0, endMs: H });
  t.same(got.map((g) => labelsToObject(g.labels).replica), ['a', 'b']);
});

t.test('counter replicas with different offsets: rate has no fake reset (thanos #2401)', async (t) => {
  // a's counter is 4000 higher than b's: switching a → b at a's gap looks like a reset unless adjusted.
  const eps = await stores(5000, 1000);
  const q = new StoreQueryable({ stores: () => eps, replicaLabels: ['replica'] });
  const r = await engine.rangeQuery(q, 'rate(x[2m])', 0, H, 60_000);
  t.equal(r.value.type, 'matrix');
  if (r.value.type !== 'matrix') return;
  const vs = Array.from(r.value.series[0]!.vs);
  t.ok(vs.length > 50, `${vs.length} points`);
  // A fake reset would add a whole counter value (≥ 1000 / 120 s ≈ 8/s) to one window; the penalty's
  // skipped samples right after a switch only bend extrapolation a little.
  t.ok(vs.every((v) => v > 0.4 && v < 2), `no fake reset across both switches (max ${Math.max(...vs)})`);
  const steady = vs.filter((v) => Math.abs(v - 1) < 1e-9).length;
  t.ok(steady >= vs.length - 12, `${steady}/${vs.length} steps exactly 1/s (only windows touching a switch differ)`);
  // Without counter mode (a plain selector), the raw values do drop at the switch.
  const raw = await new StoreQueryable({ stores: () => eps, replicaLabels: ['replica'] }).select(sel, { startMs: 0, endMs: H });
  const v = Array.from(raw[0]!.vs);
  t.ok(v.some((x, i) => i > 0 && x < v[i - 1]!), 'plain selection shows the replicas\' different values');
});

t.test('replicas sharing no chunk are never spliced into one pseudo-replica (thanos #7623)', async (t) => {
  // Each replica split over two time-partitioned stores: the merge keeps four copies, in two
  // replica groups per side; counter rate stays flat.
  const eps = [
    await memEndpoint('a1', { replica: 'a' }, [{ labels: { __name__: 'x' }, samples: samples(0, H / 2, STEP, (t) => truth(t) + 5000) }]),
    await memEndpoint('a2', { replica: 'a' }, [{ labels: { __name__: 'x' }, samples: samples(H / 2 + STEP, H, STEP, (t) => truth(t) + 5000) }]),
    await memEndpoint('b1', { replica: 'b' }, [{ labels: { __name__: 'x' }, samples: samples(0, H, STEP, (t) => truth(t) + 1000, gapB) }]),
  ];
  const q = new StoreQueryable({ stores: () => eps, replicaLabels: ['replica'] });
  const r = await engine.rangeQuery(q, 'rate(x[2m])', 0, H, 60_000);
  if (r.value.type !== 'matrix') { t.fail('matrix'); return; }
  const vs = Array.from(r.value.series[0]!.vs);
  t.ok(vs.every((v) => v > 0.4 && v < 2), `no fake reset (max ${Math.max(...vs)}, min ${Math.min(...vs)})`);
});
