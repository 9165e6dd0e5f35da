import t from 'tap';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import { Matcher } from '../../../../../actors/shared/labels/matcher.js';
import { MemoryStorage, isStaleNaN } from '../../../../../actors/shared/promql/storage/index.js';

const L = labelsFromObject;

function fill(): MemoryStorage {
  const st = new MemoryStorage();
  st.append(L({ __name__: 'up', job: 'b' }), 30, 1);
  st.append(L({ __name__: 'up', job: 'b' }), 10, 0); // out of order: inserted sorted
  st.append(L({ __name__: 'up', job: 'a' }), 20, 1);
  st.appendStale(L({ __name__: 'up', job: 'a' }), 40);
  st.append(L({ __name__: 'node', instance: 'x' }), 50, 7);
  return st;
}

t.test('select: matching series sorted by labels, samples trimmed to [start, end]', async (t) => {
  const st = fill();
  const all = st.select([new Matcher('=', '__name__', 'up')], { startMs: 0, endMs: 100 });
  t.same(all.map((s) => s.labels.map((l) => l.value).join(',')), ['up,a', 'up,b']);
  t.same(Array.from(all[1]!.ts), [10, 30], 'time order kept');
  t.same(Array.from(all[1]!.vs), [0, 1]);
  const part = st.select([new Matcher('=~', 'job', 'a|b')], { startMs: 15, endMs: 30 });
  t.same(part.map((s) => Array.from(s.ts)), [[20], [30]]);
  t.same(st.select([new Matcher('=', 'job', 'a')], { startMs: 41, endMs: 100 }), [], 'no samples in range → not returned');
  t.same(st.select([new Matcher('=', 'job', '')], { startMs: 0, endMs: 100 }).length, 1, 'empty matcher selects series without the label');
});

t.test('stale markers keep their exact bits', async (t) => {
  const st = fill();
  const [a] = st.select([new Matcher('=', 'job', 'a')], { startMs: 0, endMs: 100 });
  t.ok(isStaleNaN(a!.vs[1]!));
  t.notOk(isStaleNaN(NaN));
  const bits = new Uint32Array(a!.vs.buffer, a!.vs.byteOffset + 8, 2);
  t.same([bits[0], bits[1]], [2, 0x7ff00000]);
});

t.test('metadata: label names, values and series', async (t) => {
  const st = fill();
  t.same(await st.labelNames([], 0, 100), ['__name__', 'instance', 'job']);
  t.same(await st.labelNames([[new Matcher('=', '__name__', 'up')]], 0, 100), ['__name__', 'job']);
  t.same(await st.labelValues('job', [], 0, 100), ['a', 'b']);
  t.same(await st.labelValues('job', [], 35, 100), ['a'], 'time range applies');
  t.same((await st.series([[new Matcher('=', 'job', 'b')], [new Matcher('=', 'instance', 'x')]], 0, 100)).length, 2, 'union of matcher sets');
  st.clear();
  t.equal(st.size, 0);
});
