import type { Test } from 'tap';
import { compareLabels, labelsToString } from '../../../../../actors/shared/labels/labels.js';
import type { MatcherSpec } from '../../../../../actors/shared/labels/matcher.js';
import {
  labelNamesRequest, labelValuesRequest, seriesRequest, type SeriesFrame, type SeriesRequest,
} from '../../../../../actors/shared/storeapi/protocol.js';
import type { StoreAPI } from '../../../../../actors/shared/storeapi/storeapi.js';
import { parseInfoResponse, parseSeriesFrame } from '../../../../../actors/shared/storeapi/validate-response.js';
import { ALL, FIXTURE, H, SERIES, decodedIn, expectedLabels, flat, samplesIn, type ContractFixture } from './fixture.js';

export { FIXTURE, type ContractFixture } from './fixture.js';

/** Builds the store under test serving `fixture`; `done` tears it down. */
export type MakeStore = (fixture: ContractFixture) => Promise<{ store: StoreAPI; done?: () => Promise<void> }>;

const m = (type: MatcherSpec['type'], name: string, value: string): MatcherSpec => ({ type, name, value });
const eq = (n: string, v: string) => m('=', n, v);
const ne = (n: string, v: string) => m('!=', n, v);
const re = (n: string, v: string) => m('=~', n, v);
const nre = (n: string, v: string) => m('!~', n, v);
const UP = ['upA1R0', 'upA1R1', 'upA2', 'upB1'];

/** [title, matchers, expected fixture ids in order] — over the whole time range. */
const MATCHER_CASES: ReadonlyArray<readonly [string, MatcherSpec[], readonly string[]]> = [
  ['equality', [eq('__name__', 'up')], UP],
  ['two equalities', [eq('__name__', 'up'), eq('job', 'api')], ['upA1R0', 'upA1R1', 'upA2']],
  ['regex alternation', [re('__name__', 'up|node_cpu')], ['nodeCpu', ...UP]],
  ['regex is anchored', [re('__name__', 'u')], []],
  ['regex prefix', [re('__name__', 'u.*')], UP],
  ['regex character class', [re('code', '5..')], ['http500']],
  ['regex with an optional char', [re('handler', '/x?')], ['http200', 'http500']],
  ['inequality matches series without the label', [eq('__name__', 'up'), ne('replica', 'r0')], ['upA1R1', 'upA2']],
  ['negative regex matches series without the label', [eq('__name__', 'up'), nre('replica', 'r.*')], ['upA2']],
  ['="" selects series without the label', [eq('__name__', 'up'), eq('replica', '')], ['upA2']],
  ['=~"" selects series without the label', [eq('__name__', 'up'), re('replica', '')], ['upA2']],
  ['=~".*" selects everything', [eq('__name__', 'up'), re('replica', '.*')], UP],
  ['!="" needs the label', [eq('__name__', 'up'), ne('replica', '')], ['upA1R0', 'upA1R1', 'upB1']],
  ['=~".+" needs the label', [eq('__name__', 'up'), re('replica', '.+')], ['upA1R0', 'upA1R1', 'upB1']],
  ['no such value', [eq('job', 'nope')], []],
  ['absent label ="" alone matches all', [eq('nonexistent', '')], ALL],
  ['absent label !="" matches none', [ne('nonexistent', '')], []],
  ['negations combined', [nre('__name__', 'up|http.*'), ne('__name__', 'weird')], ['nodeCpu', 'shadowed']],
  ['unicode value', [eq('path', 'ä/ü')], ['weird']],
  ['value with a newline', [eq('note', 'a\nb')], ['weird']],
  ['external label matches every series', [eq('region', 'eu'), eq('__name__', 'up')], UP],
  ['external label regex', [re('region', 'e.*'), eq('job', 'db')], ['upB1']],
  ['other external label value matches none', [eq('region', 'us')], []],
  ['negated external label matches none', [ne('region', 'eu')], []],
  ['a stored label named like an external label is overridden by it', [eq('__name__', 'shadowed'), eq('region', 'eu')], ['shadowed']],
  ['external label ="" matches none', [eq('region', ''), eq('__name__', 'up')], []],
];

async function frames(store: StoreAPI, req: SeriesRequest, signal = new AbortController().signal): Promise<SeriesFrame[]> {
  const out: SeriesFrame[] = [];
  for await (const f of store.series(req, signal)) out.push(f);
  return out;
}

const sig = () => new AbortController().signal;
const strs = (ss: ReturnType<typeof flat>) => ss.map((s) => labelsToString(s.labels));

/**
 * The StoreAPI acceptance suite (cases after Thanos's pkg/store acceptance test): matchers incl.
 * regex, negations and empty values; time ranges with chunk-granular trimming and exact samples;
 * external labels; label names/values with matchers, ranges and limits; sorted, non-interleaved
 * output; limits, batching, skipChunks, replica-label removal; bad requests; cancellation.
 * Every implementation (memory, in-process, over LocalTransport and NATS, store gateway…) passes it.
 */
export function describeStoreAPI(t: Test, name: string, make: MakeStore): void {
  void t.test(name, async (t) => {
    const { store: s, done } = await make(FIXTURE);
    t.teardown(async () => { await done?.(); });

    t.test('info: external label set, time range covering the data, capabilities', async (t) => {
      const info = parseInfoResponse(await s.info());
      t.same(info.labelSets.map(labelsToString), ['{region="eu"}']);
      t.ok(info.store !== undefined && info.store.minTime <= 0 && info.store.maxTime >= 3 * H, 'range covers every sample');
      t.equal(info.store?.supportsWithoutReplicaLabels, true);
    });

    t.test('matchers', async (t) => {
      for (const [title, matchers, want] of MATCHER_CASES) {
        const got = flat(await frames(s, seriesRequest({ matchers })));
        t.same(strs(got), want.map((id) => expectedLabels(id)), title);
      }
    });

    t.test('output is sorted, every frame valid, no series twice (never interleaved)', async (t) => {
      const fs = await frames(s, seriesRequest({ matchers: [re('__name__', '.+')] }));
      for (const f of fs) parseSeriesFrame(f);
      const got = flat(fs);
      t.same(strs(got), ALL.map((id) => expectedLabels(id)));
      for (let i = 1; i < got.length; i++) t.ok(compareLabels(got[i - 1]!.labels, got[i]!.labels) < 0, `strictly increasing at ${i}`);
    });

    t.test('time ranges: chunk-granular selection, exact samples inside the range', async (t) => {
      const cases: ReadonlyArray<readonly [number, number, readonly string[]]> = [
        [1.5 * H, 1.7 * H, ['upA1R0', 'upA1R1', 'upA2', 'weird']],
        [2 * H, 2 * H, ['upA1R0', 'upA1R1', 'upA2', 'upB1', 'weird']],
        [H, H, ['http200', 'http500', 'upA1R0', 'upA1R1', 'upA2', 'weird']],
        [-1000, -1, []],
        [3 * H + 1, 4 * H, []],
      ];
      for (const [min, max, want] of cases) {
        const got = flat(await frames(s, seriesRequest({ matchers: [re('__name__', '.+')], minTime: min, maxTime: max })));
        t.same(strs(got), want.map((id) => expectedLabels(id)), `[${min}, ${max}] selects`);
        got.forEach((x, i) => {
          t.ok(x.chunks.length > 0 && x.chunks.every((c) => c.maxTime >= min && c.minTime <= max), `${want[i]}: only overlapping chunks`);
          for (let j = 1; j < x.chunks.length; j++) t.ok(x.chunks[j - 1]!.minTime <= x.chunks[j]!.minTime, 'chunks sorted by minTime');
          t.same(decodedIn(x, min, max), samplesIn(want[i]!, min, max), `${want[i]}: samples in range intact`);
        });
      }
    });

    t.test('skipChunks returns the same series without chunks', async (t) => {
      const got = flat(await frames(s, seriesRequest({ matchers: [eq('__name__', 'up')], skipChunks: true })));
      t.same(strs(got), UP.map((id) => expectedLabels(id)));
      t.ok(got.every((x) => x.chunks.length === 0));
    });

    t.test('withoutReplicaLabels: removed, sorted after removal, copies adjacent in original order', async (t) => {
      const got = flat(await frames(s, seriesRequest({ matchers: [eq('__name__', 'up')], withoutReplicaLabels: ['replica'] })));
      t.same(strs(got), ['upA1R0', 'upA1R1', 'upA2', 'upB1'].map((id) => expectedLabels(id, ['replica'])));
      t.same(decodedIn(got[1]!, 0, 3 * H), samplesIn('upA1R1', 0, 3 * H), 'second copy is r1');
    });

    t.test('limit and batching', async (t) => {
      const all = seriesRequest({ matchers: [re('__name__', '.+')] });
      t.same(strs(flat(await frames(s, { ...all, limit: 3 }))), ALL.slice(0, 3).map((id) => expectedLabels(id)), 'first 3 in order');
      const single = await frames(s, all);
      t.ok(single.every((f) => f.kind === 'series'), 'responseBatchSize 0 → one series per frame');
      const batched = await frames(s, { ...all, responseBatchSize: 3 });
      t.ok(batched.every((f) => f.kind === 'batch' && f.series.length >= 1 && f.series.length <= 3), 'batch frames of 1..3');
      t.same(strs(flat(batched)), strs(flat(single)), 'same series, same order');
    });

    t.test('label names: sorted, unique, external labels included, matchers, ranges, limits', async (t) => {
      const names = async (o: Parameters<typeof labelNamesRequest>[0]) => (await s.labelNames(labelNamesRequest(o), sig())).names;
      t.same(await names({}), ['__name__', 'code', 'cpu', 'handler', 'instance', 'job', 'mode', 'note', 'path', 'region', 'replica']);
      t.same(await names({ matchers: [eq('job', 'db')] }), ['__name__', 'instance', 'job', 'region', 'replica']);
      t.same(await names({ start: 2 * H, end: 3 * H }), ['__name__', 'instance', 'job', 'note', 'path', 'region', 'replica'], 'time range');
      t.same(await names({ matchers: [eq('__name__', 'up')], withoutReplicaLabels: ['replica'] }), ['__name__', 'instance', 'job', 'region']);
      t.same(await names({ limit: 2 }), ['__name__', 'code'], 'limit');
      t.same(await names({ matchers: [eq('region', 'us')] }), [], 'external label mismatch');
      t.same(await names({ matchers: [eq('region', 'eu'), eq('job', 'db')] }), ['__name__', 'instance', 'job', 'region', 'replica'], 'external label matcher');
      t.same((await s.labelNames(labelNamesRequest(), sig())).warnings, [], 'no warnings');
    });

    t.test('label values: sorted, unique, matchers, ranges, limits', async (t) => {
      const values = async (o: Parameters<typeof labelValuesRequest>[0]) => (await s.labelValues(labelValuesRequest(o), sig())).values;
      t.same(await values({ label: 'job' }), ['api', 'db']);
      t.same(await values({ label: '__name__', matchers: [eq('job', 'api')] }), ['http_requests_total', 'up']);
      t.same(await values({ label: '__name__', matchers: [re('__name__', 'up|weird')] }), ['up', 'weird']);
      t.same(await values({ label: 'region' }), ['eu'], 'external label values');
      t.same(await values({ label: 'job', start: 2 * H + 1, end: 4 * H }), ['api', 'db'], 'range');
      t.same(await values({ label: 'code', start: H + 1, end: 4 * H }), [], 'range excludes every series with the label');
      t.same(await values({ label: 'instance', limit: 2 }), ['a:1', 'a:2'], 'limit');
      t.same(await values({ label: 'nonexistent' }), []);
      t.same(await values({ label: 'replica', withoutReplicaLabels: ['replica'] }), [], 'a removed replica label has no values');
      t.same(await values({ label: 'path' }), ['ä/ü']);
      t.same(await values({ label: 'job', matchers: [eq('region', 'eu')] }), ['api', 'db'], 'external label matcher');
      t.same(await values({ label: 'job', matchers: [eq('region', 'different')] }), [], 'external label mismatch');
      t.same(await values({ label: 'region', matchers: [eq('__name__', 'shadowed')] }), ['eu'], 'the external value replaced the stored one');
      t.same((await s.labelValues(labelValuesRequest({ label: 'job' }), sig())).warnings, [], 'no warnings');
    });

    t.test('bad requests are refused with STOREAPI_BAD_REQUEST and the store keeps serving', async (t) => {
      await t.rejects(frames(s, seriesRequest({ matchers: [re('a', '(')] })), { code: 'STOREAPI_BAD_REQUEST' });
      await t.rejects(frames(s, seriesRequest({ matchers: [] })), { code: 'STOREAPI_BAD_REQUEST' });
      await t.rejects(frames(s, seriesRequest({ matchers: [eq('a', 'b')], minTime: 10, maxTime: 5 })), { code: 'STOREAPI_BAD_REQUEST' });
      await t.rejects(s.labelValues(labelValuesRequest({ label: '' }), sig()), { code: 'STOREAPI_BAD_REQUEST' });
      await t.rejects(s.labelNames(labelNamesRequest({ matchers: [re('a', '(')] }), sig()), { code: 'STOREAPI_BAD_REQUEST' });
      t.equal(flat(await frames(s, seriesRequest({ matchers: [eq('__name__', 'up')] }))).length, 4, 'still serving');
    });

    t.test('cancellation ends the stream without further frames', async (t) => {
      const ac = new AbortController();
      const seen: SeriesFrame[] = [];
      const run = (async () => { for await (const f of s.series(seriesRequest({ matchers: [re('__name__', '.+')] }), ac.signal)) { seen.push(f); ac.abort(); } })();
      await t.rejects(run, { code: 'RT_CANCELLED' });
      t.equal(seen.length, 1);
      await t.rejects(frames(s, seriesRequest({ matchers: [re('__name__', '.+')] }), AbortSignal.abort()), { code: 'RT_CANCELLED' });
      t.same(strs(flat(await frames(s, seriesRequest({ matchers: [eq('job', 'db')] })))), [expectedLabels('upB1')], 'still serving');
    });
  });
}

export { SERIES };
