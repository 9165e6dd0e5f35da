import t from 'tap';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import type { Matcher } from '../../../../../actors/shared/labels/matcher.js';
import { Engine } from '../../../../../actors/shared/promql/engine/index.js';
import { MemoryStorage, type Queryable, type SelectHints, type SeriesData } from '../../../../../actors/shared/promql/storage/index.js';

const M = 60_000;

/** A queryable over MemoryStorage whose selects answer only when released, recording what is in flight. */
function gated(fail?: string) {
  const st = new MemoryStorage();
  for (let ts = 0; ts <= 10 * M; ts += 15_000) {
    st.append(labelsFromObject({ __name__: 'a', i: '1' }), ts, ts / 1000);
    st.append(labelsFromObject({ __name__: 'b', i: '1' }), ts, 2);
  }
  const calls: Array<{ name: string; hints: SelectHints }> = [];
  let inFlight = 0, peak = 0;
  const waiting: Array<() => void> = [];
  let open = false;
  const q: Queryable = {
    async select(ms: readonly Matcher[], hints: SelectHints, signal?: AbortSignal): Promise<Iterable<SeriesData>> {
      const name = ms.find((m) => m.name === '__name__')?.value ?? '';
      calls.push({ name, hints });
      inFlight++; peak = Math.max(peak, inFlight);
      if (!open) await new Promise<void>((r) => waiting.push(r));
      inFlight--;
      if (signal?.aborted === true) throw new Error('aborted');
      if (name === fail) throw new Error(`store failed for ${name}`);
      return st.select(ms, hints) as Iterable<SeriesData>;
    },
  };
  const release = (): void => { open = true; for (const r of waiting.splice(0)) r(); };
  return { q, calls, release, peak: () => peak, waiting: () => waiting.length };
}

const engine = new Engine();

t.test('the selects of a query start together, each used once with the hints evaluation computes', async (t) => {
  const g = gated();
  const run = engine.rangeQuery(g.q, 'sum(rate(a[5m])) / sum(b) + on() group(a)', 5 * M, 10 * M, M);
  await new Promise((r) => setTimeout(r, 10));
  t.equal(g.waiting(), 3, 'all three selects in flight before any answered');
  g.release();
  const r = await run;
  t.equal(g.calls.length, 3, 'no select repeated');
  t.same(g.calls.map((c) => [c.name, c.hints.func ?? null, c.hints.rangeMs ?? null]), [['a', 'rate', 5 * M], ['b', null, null], ['a', null, null]]);
  t.equal(r.value.type, 'matrix');
  const seq = gated();
  const plain = new Engine({ prefetchSelects: false });
  const run2 = plain.rangeQuery(seq.q, 'sum(rate(a[5m])) / sum(b) + on() group(a)', 5 * M, 10 * M, M);
  await new Promise((r) => setTimeout(r, 10));
  t.equal(seq.waiting(), 1, 'without prefetch one select at a time');
  seq.release();
  t.same((await run2).value, r.value, 'same answer');
});

t.test('a failing prefetched select fails the query with its own error; an unused one does not leak', async (t) => {
  const g = gated('b');
  g.release();
  await t.rejects(engine.instantQuery(g.q, 'a + b', 5 * M), /store failed for b/);
  const h = gated('a');
  h.release();
  await t.rejects(engine.instantQuery(h.q, 'a + b', 5 * M), /store failed for a/, 'lhs error; rhs result dropped');
});

t.test('selectors under subqueries and single-selector queries are selected as before', async (t) => {
  const g = gated();
  g.release();
  await engine.rangeQuery(g.q, 'max_over_time(rate(a[1m])[5m:1m]) * b', 5 * M, 10 * M, M);
  t.equal(g.calls.filter((c) => c.name === 'a').length, 1, 'subquery selector selected once, during evaluation');
  t.equal(g.calls.length, 2);
  const s = gated();
  s.release();
  await engine.instantQuery(s.q, 'rate(a[5m])', 5 * M);
  t.equal(s.calls.length, 1);
});

t.test('results and sample counts equal with and without prefetch', async (t) => {
  const g = gated();
  g.release();
  const plain = new Engine({ prefetchSelects: false });
  for (const q of ['a / b', 'sum(rate(a[5m])) / sum(b)', 'a and b', 'topk(1, a) or b', 'a @ 300 + b offset 1m', 'scalar(b) * a', 'count_values("v", b) + on() group_left a']) {
    const x = await engine.rangeQuery(g.q, q, 5 * M, 10 * M, M);
    const y = await plain.rangeQuery(g.q, q, 5 * M, 10 * M, M);
    t.same(x.value, y.value, q);
    t.equal(x.samples, y.samples, `${q}: peak samples`);
  }
});
