import type { Test } from 'tap';
import { labelsFromObject, labelsToString, compareLabels } from '../../../../actors/shared/labels/labels.js';
import type { MatcherSpec } from '../../../../actors/shared/labels/matcher.js';
import {
  labelNamesRequest, labelValuesRequest, seriesRequest, type SeriesFrame, type SeriesRequest,
} from '../../../../actors/shared/storeapi/protocol.js';
import type { StoreAPI } from '../../../../actors/shared/storeapi/storeapi.js';
import type { AggrChunk, Series } from '../../../../actors/shared/storeapi/types.js';
import { parseInfoResponse, parseSeriesFrame } from '../../../../actors/shared/storeapi/validate-response.js';

/** What a store under test must serve: these series (labels as stored) and these external label sets. */
export interface StoreFixture {
  readonly series: readonly Series[];
  readonly labelSets: readonly (readonly { name: string; value: string }[])[];
}

export type MakeStore = (fixture: StoreFixture) => Promise<{ store: StoreAPI; done?: () => Promise<void> }>;

const ch = (minTime: number, maxTime: number, tag: number): AggrChunk =>
  ({ minTime, maxTime, raw: { type: 'XOR', data: Uint8Array.of(tag, 1, 2, 3) } });

export const FIXTURE: StoreFixture = {
  labelSets: [labelsFromObject({ region: 'eu' })],
  series: [
    { labels: labelsFromObject({ __name__: 'up', job: 'api', instance: 'a', replica: 'r1' }), chunks: [ch(0, 1000, 1), ch(1001, 2000, 2)] },
    { labels: labelsFromObject({ __name__: 'up', job: 'api', instance: 'a', replica: 'r0' }), chunks: [ch(0, 2000, 3)] },
    { labels: labelsFromObject({ __name__: 'up', job: 'db', instance: 'b', replica: 'r0' }), chunks: [ch(5000, 6000, 4)] },
    { labels: labelsFromObject({ __name__: 'http_requests_total', job: 'api', code: '200', replica: 'r0' }), chunks: [ch(0, 100, 5)] },
    { labels: labelsFromObject({ __name__: 'http_requests_total', job: 'api', code: '500', replica: 'r0' }), chunks: [ch(3000, 4000, 6)] },
    { labels: labelsFromObject({ __name__: 'node_cpu', cpu: '0', mode: 'idle' }), chunks: [ch(0, 10, 7)] },
  ],
};

const re = (name: string, value: string): MatcherSpec => ({ type: '=~', name, value });
const eq = (name: string, value: string): MatcherSpec => ({ type: '=', name, value });

async function frames(store: StoreAPI, req: SeriesRequest, signal = new AbortController().signal): Promise<SeriesFrame[]> {
  const out: SeriesFrame[] = [];
  for await (const f of store.series(req, signal)) out.push(f);
  return out;
}

function flat(fs: readonly SeriesFrame[]): Series[] {
  return fs.flatMap((f) => (f.kind === 'series' ? [f.series] : f.kind === 'batch' ? [...f.series] : []));
}

const names = (ss: readonly Series[]) => ss.map((s) => labelsToString(s.labels));

/** The StoreAPI acceptance suite: every implementation (memory, NATS client/server, store gateway…) must pass it. */
export function describeStoreAPI(t: Test, name: string, make: MakeStore): void {
  const it = (title: string, fn: (s: StoreAPI, tt: Test) => Promise<void>): void => {
    void t.test(`${name} - ${title}`, async (tt) => {
      const { store, done } = await make(FIXTURE);
      try { await fn(store, tt); } finally { await done?.(); }
    });
  };

  it('info is valid and covers the data', async (s, tt) => {
    const info = parseInfoResponse(await s.info());
    tt.same(info.labelSets, FIXTURE.labelSets);
    tt.ok(info.store !== undefined && info.store.minTime <= 0 && info.store.maxTime >= 6000, 'time range covers every chunk');
    tt.equal(info.store?.supportsWithoutReplicaLabels, true);
  });

  it('series are sorted, whole, valid frames, and match the matchers and time range', async (s, tt) => {
    const fs = await frames(s, seriesRequest({ matchers: [re('__name__', '.+')], minTime: 0, maxTime: 1500 }));
    for (const f of fs) parseSeriesFrame(f);
    const got = flat(fs);
    tt.same(names(got), [
      '{__name__="http_requests_total", code="200", job="api", replica="r0"}',
      '{__name__="node_cpu", cpu="0", mode="idle"}',
      '{__name__="up", instance="a", job="api", replica="r0"}',
      '{__name__="up", instance="a", job="api", replica="r1"}',
    ]);
    for (let i = 1; i < got.length; i++) tt.ok(compareLabels(got[i - 1]!.labels, got[i]!.labels) < 0, 'strictly sorted');
    const r1 = got[3]!;
    tt.same(r1.chunks.map((c) => [c.minTime, c.maxTime]), [[0, 1000], [1001, 2000]], 'chunks overlapping the range, sorted');
    tt.ok(got.every((x) => x.chunks.every((c) => c.maxTime >= 0 && c.minTime <= 1500)));
  });

  it('every matcher type', async (s, tt) => {
    const q = async (...m: MatcherSpec[]) => names(flat(await frames(s, seriesRequest({ matchers: m }))));
    tt.same(await q(eq('job', 'db')), ['{__name__="up", instance="b", job="db", replica="r0"}']);
    tt.same((await q(eq('__name__', 'up'), { type: '!=', name: 'job', value: 'api' })).length, 1);
    tt.same((await q(re('code', '2..|5..'))).length, 2, 'regex is anchored and alternation works');
    tt.same((await q(re('code', '2'))).length, 0, 'regex is fully anchored');
    tt.same((await q({ type: '!~', name: 'replica', value: 'r.*' })).length, 1, 'absent label reads as ""');
    tt.same((await q(eq('replica', ''), eq('mode', 'idle'))).length, 1, '="" matches series without the label');
  });

  it('withoutReplicaLabels: copies become adjacent separate frames, sorted after removal', async (s, tt) => {
    const got = flat(await frames(s, seriesRequest({ matchers: [eq('__name__', 'up')], withoutReplicaLabels: ['replica'] })));
    tt.same(names(got), [
      '{__name__="up", instance="a", job="api"}',
      '{__name__="up", instance="a", job="api"}',
      '{__name__="up", instance="b", job="db"}',
    ]);
    tt.same(got.slice(0, 2).map((x) => x.chunks.length), [1, 2], 'in the order of the original labels (r0, then r1)');
  });

  it('skipChunks, limit and batching', async (s, tt) => {
    const all = seriesRequest({ matchers: [re('__name__', '.+')] });
    tt.ok(flat(await frames(s, { ...all, skipChunks: true })).every((x) => x.chunks.length === 0), 'no chunks');
    tt.equal(flat(await frames(s, { ...all, limit: 2 })).length, 2, 'limit');
    const batched = await frames(s, { ...all, responseBatchSize: 4 });
    tt.ok(batched.every((f) => f.kind !== 'series' && (f.kind !== 'batch' || (f.series.length >= 1 && f.series.length <= 4))), 'batch frames of ≤ 4');
    tt.same(names(flat(batched)), names(flat(await frames(s, all))), 'same series, same order');
  });

  it('a bad request is refused with STOREAPI_BAD_REQUEST', async (s, tt) => {
    const bad = { ...seriesRequest({ matchers: [re('a', '(')] }) };
    await tt.rejects(frames(s, bad), { code: 'STOREAPI_BAD_REQUEST' });
    await tt.rejects(frames(s, seriesRequest({ matchers: [] })), { code: 'STOREAPI_BAD_REQUEST' });
    await tt.rejects(s.labelValues(labelValuesRequest({ label: '' }), new AbortController().signal), { code: 'STOREAPI_BAD_REQUEST' });
  });

  it('cancellation ends the stream without further frames', async (s, tt) => {
    const ac = new AbortController();
    const seen: SeriesFrame[] = [];
    const run = (async () => { for await (const f of s.series(seriesRequest({ matchers: [re('__name__', '.+')] }), ac.signal)) { seen.push(f); ac.abort(); } })();
    await tt.rejects(run, { code: 'RT_CANCELLED' });
    tt.equal(seen.length, 1);
    await tt.rejects(frames(s, seriesRequest({ matchers: [re('__name__', '.+')] }), AbortSignal.abort()), { code: 'RT_CANCELLED' });
  });

  it('label names and values: sorted, unique, filtered, limited', async (s, tt) => {
    const sig = new AbortController().signal;
    const n = await s.labelNames(labelNamesRequest({ matchers: [eq('job', 'api')] }), sig);
    tt.same(n.names, ['__name__', 'code', 'instance', 'job', 'replica']);
    tt.same((await s.labelNames(labelNamesRequest({ withoutReplicaLabels: ['replica'], limit: 3 }), sig)).names, ['__name__', 'code', 'cpu']);
    tt.same((await s.labelValues(labelValuesRequest({ label: 'job' }), sig)).values, ['api', 'db']);
    tt.same((await s.labelValues(labelValuesRequest({ label: 'job', start: 5000, end: 7000 }), sig)).values, ['db'], 'time range');
    tt.same((await s.labelValues(labelValuesRequest({ label: '__name__', matchers: [eq('job', 'api')] }), sig)).values, ['http_requests_total', 'up']);
  });
}
