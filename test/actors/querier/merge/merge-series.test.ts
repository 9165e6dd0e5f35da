import t from 'tap';
import { mergeSeries, type MergedFrame, type MergeInput } from '../../../../actors/querier/merge/merge-series.js';
import { labelsFromObject, labelsToString, type Labels } from '../../../../actors/shared/labels/labels.js';
import type { SeriesFrame } from '../../../../actors/shared/storeapi/protocol.js';
import type { AggrChunk, Series } from '../../../../actors/shared/storeapi/types.js';
import { CancelledError } from '../../../../runtime/errors/runtime-errors.js';
import { StoreApiAbortedError } from '../../../../actors/shared/storeapi/errors.js';

const L = (name: string, extra: Record<string, string> = {}): Labels => labelsFromObject({ __name__: name, ...extra });
const chunk = (minTime: number, maxTime: number, byte = 1): AggrChunk => ({ minTime, maxTime, raw: { type: 'XOR', data: Uint8Array.of(byte, minTime & 0xff) } });
const S = (labels: Labels, chunks: AggrChunk[] = []): Series => ({ labels, chunks });

/** A store stream that records how far it was pulled and whether it was closed. */
function store(name: string, frames: (SeriesFrame | Error)[]) {
  const state = { pulled: 0, closed: false };
  async function* gen(): AsyncGenerator<SeriesFrame> {
    try {
      for (const f of frames) {
        state.pulled++;
        await Promise.resolve();
        if (f instanceof Error) throw f;
        yield f;
      }
    } finally { state.closed = true; }
  }
  const input: MergeInput = { name, frames: gen() };
  return { input, state };
}

async function collect(it: AsyncIterable<MergedFrame>): Promise<MergedFrame[]> {
  const out: MergedFrame[] = [];
  for await (const f of it) out.push(f);
  return out;
}

const names = (frames: MergedFrame[]) => frames.flatMap((f) => (f.kind === 'series' ? [labelsToString(f.series.labels)] : []));
const warnings = (frames: MergedFrame[]) => frames.flatMap((f) => (f.kind === 'warning' ? [f.message] : []));

t.test('merge - output is sorted across stores; batches are flattened', async (t) => {
  const a = store('a', [{ kind: 'series', series: S(L('a')) }, { kind: 'batch', series: [S(L('c')), S(L('e'))] }]);
  const b = store('b', [{ kind: 'batch', series: [S(L('b')), S(L('d'))] }, { kind: 'series', series: S(L('f')) }]);
  const c = store('c', []);
  const got = await collect(mergeSeries([a.input, b.input, c.input], { partialResponseStrategy: 'WARN' }));
  t.same(names(got), ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `{__name__="${n}"}`));
});

t.test('merge - identical series from 3 stores are combined; chunks sorted, exact duplicates dropped', async (t) => {
  const x = L('up', { job: 'x' });
  const a = store('a', [{ kind: 'series', series: S(x, [chunk(0, 10), chunk(20, 30)]) }]);
  const b = store('b', [{ kind: 'series', series: S(x, [chunk(0, 10), chunk(11, 19)]) }]);
  const c = store('c', [{ kind: 'series', series: S(x, [chunk(5, 15, 7), chunk(20, 30)]) }, { kind: 'series', series: S(L('zz')) }]);
  const got = await collect(mergeSeries([a.input, b.input, c.input], { partialResponseStrategy: 'ABORT' }));
  t.equal(got.length, 2);
  const m = got[0]!;
  if (m.kind !== 'series') throw new Error('want series');
  // (0,10) from a and b are byte-identical → one; (20,30) from a and c likewise; (5,15) and (11,19) distinct.
  t.same(m.series.chunks.map((c) => [c.minTime, c.maxTime]), [[0, 10], [5, 15], [11, 19], [20, 30]]);
  t.same(Array.from(m.series.origin), [0, 2, 1, 0], 'origins index parts');
  t.same(m.series.parts, [0, 1, 2], 'parts in input order');
  t.same(Array.from(m.series.replica), [0, 0, 0, 0], 'a shared chunk links a–b and a–c into one replica group');
});

t.test('merge - chunks with the same range but different bytes are both kept', async (t) => {
  const x = L('up');
  const a = store('a', [{ kind: 'series', series: S(x, [chunk(0, 10, 1)]) }]);
  const b = store('b', [{ kind: 'series', series: S(x, [chunk(0, 10, 2)]) }]);
  const [m] = await collect(mergeSeries([a.input, b.input], { partialResponseStrategy: 'WARN' }));
  t.equal(m!.kind === 'series' ? m!.series.chunks.length : -1, 2);
});

t.test('merge - consecutive equal frames of one store (replicas without replica labels) stay separate parts', async (t) => {
  const x = L('up');
  const a = store('a', [{ kind: 'series', series: S(x, [chunk(0, 10, 1)]) }, { kind: 'series', series: S(x, [chunk(1, 11, 2)]) }]);
  const got = await collect(mergeSeries([a.input], { partialResponseStrategy: 'WARN' }));
  t.equal(got.length, 1);
  const m = got[0]!;
  if (m.kind !== 'series') throw new Error('want series');
  t.same(m.series.parts, [0, 0]);
  t.same(Array.from(m.series.origin), [0, 1]);
  t.same(Array.from(m.series.replica), [0, 1], 'nothing shared: two replica groups');
});

t.test('merge - all stores empty', async (t) => {
  t.same(await collect(mergeSeries([store('a', []).input, store('b', []).input], { partialResponseStrategy: 'ABORT' })), []);
  t.same(await collect(mergeSeries([], { partialResponseStrategy: 'ABORT' })), []);
});

t.test('merge - warnings and hints are passed through under WARN', async (t) => {
  const a = store('a', [{ kind: 'warning', message: 'block 01X unreadable' }, { kind: 'series', series: S(L('a')) }, { kind: 'hints', hints: { queriedBlocks: ['01X'] } }]);
  const b = store('b', [{ kind: 'series', series: S(L('b')) }]);
  const got = await collect(mergeSeries([a.input, b.input], { partialResponseStrategy: 'WARN' }));
  t.same(warnings(got), ['a: block 01X unreadable']);
  t.equal(got[0]!.kind, 'warning', 'warning before the first series');
  t.same(got.filter((f) => f.kind === 'hints'), [{ kind: 'hints', input: 0, hints: { queriedBlocks: ['01X'] } }]);
  t.same(names(got), ['{__name__="a"}', '{__name__="b"}']);
});

t.test('merge - a store error is a warning under WARN and the rest is still merged', async (t) => {
  const a = store('a', [{ kind: 'series', series: S(L('a')) }, new Error('connection reset'), { kind: 'series', series: S(L('c')) }]);
  const b = store('b', [{ kind: 'series', series: S(L('b')) }, { kind: 'series', series: S(L('d')) }]);
  const got = await collect(mergeSeries([a.input, b.input], { partialResponseStrategy: 'WARN' }));
  t.same(names(got), ['{__name__="a"}', '{__name__="b"}', '{__name__="d"}']);
  t.same(warnings(got), ['receiving series from a: connection reset']);
  t.ok(a.state.closed);
});

t.test('merge - ABORT: a store error or a warning aborts and closes every input', async (t) => {
  const a = store('a', [{ kind: 'series', series: S(L('a')) }, new Error('connection reset')]);
  const b = store('b', [{ kind: 'series', series: S(L('b')) }, { kind: 'series', series: S(L('c')) }, { kind: 'series', series: S(L('d')) }]);
  const err = await collect(mergeSeries([a.input, b.input], { partialResponseStrategy: 'ABORT' })).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof StoreApiAbortedError);
  t.match((err as Error).message, /partial response aborted: receiving series from a: connection reset/);
  t.equal((err as InstanceType<typeof StoreApiAbortedError>).code, 'STOREAPI_ABORTED');
  t.ok(b.state.closed, 'other input closed');

  const w = store('w', [{ kind: 'warning', message: 'too many chunks' }]);
  const err2 = await collect(mergeSeries([w.input], { partialResponseStrategy: 'ABORT' })).then(() => undefined, (e: unknown) => e);
  t.ok(err2 instanceof StoreApiAbortedError);
});

t.test('merge - an unsorted store is an error of that store', async (t) => {
  const a = store('a', [{ kind: 'series', series: S(L('b')) }, { kind: 'series', series: S(L('a')) }]);
  const got = await collect(mergeSeries([a.input], { partialResponseStrategy: 'WARN' }));
  t.same(names(got), ['{__name__="b"}']);
  t.match(warnings(got)[0], /stream not sorted/);
});

t.test('merge - stopping early stops pulling and closes inputs', async (t) => {
  const many = (p: string) => Array.from({ length: 100 }, (_, i): SeriesFrame => ({ kind: 'series', series: S(L(`${p}${String(i).padStart(3, '0')}`)) }));
  const a = store('a', many('a'));
  const b = store('b', many('b'));
  const seen: string[] = [];
  for await (const f of mergeSeries([a.input, b.input], { partialResponseStrategy: 'WARN' })) {
    if (f.kind === 'series') seen.push(labelsToString(f.series.labels));
    if (seen.length === 2) break;
  }
  t.same(seen, ['{__name__="a000"}', '{__name__="a001"}']);
  await new Promise<void>((resolve) => setImmediate(resolve));
  t.ok(a.state.closed && b.state.closed, 'both inputs closed');
  t.ok(a.state.pulled <= 3 && b.state.pulled <= 1, `bounded pulls (a ${a.state.pulled}, b ${b.state.pulled})`);
});

t.test('merge - limit stops after N series', async (t) => {
  const a = store('a', [{ kind: 'series', series: S(L('a')) }, { kind: 'series', series: S(L('c')) }]);
  const b = store('b', [{ kind: 'series', series: S(L('b')) }]);
  t.same(names(await collect(mergeSeries([a.input, b.input], { partialResponseStrategy: 'WARN', limit: 2 }))), ['{__name__="a"}', '{__name__="b"}']);
  t.ok(a.state.closed);
});

t.test('merge - the abort signal rejects a pending pull with CancelledError', async (t) => {
  const ac = new AbortController();
  let release!: () => void;
  const blocked = new Promise<void>((r) => { release = r; });
  async function* slow(): AsyncGenerator<SeriesFrame> {
    yield { kind: 'series', series: S(L('a')) };
    await blocked;
    yield { kind: 'series', series: S(L('b')) };
  }
  const it = mergeSeries([{ name: 'slow', frames: slow() }], { partialResponseStrategy: 'WARN', signal: ac.signal });
  // The merge holds "a" back until it knows the store's next series is not also "a": it blocks.
  const pending = it.next();
  await new Promise<void>((resolve) => setImmediate(resolve));
  ac.abort();
  const err = await pending.then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof CancelledError);
  release();
});
