// Store faults under the two partial response strategies: a store that never answers, one that
// dies mid-stream, one that is slow.
import t from 'tap';
import { Matcher } from '../../../actors/shared/labels/matcher.js';
import { StoreQueryable, type StoreEndpoint } from '../../../actors/querier/store-queryable.js';
import { Engine } from '../../../actors/shared/promql/engine/engine.js';
import type { SeriesFrame } from '../../../actors/shared/storeapi/protocol.js';
import type { StoreAPI } from '../../../actors/shared/storeapi/storeapi.js';
import { anyInfo, dyingStore, memEndpoint, samples, silentStore } from './helpers.js';

const sel = [new Matcher('=~', '__name__', 'x|y')];
const hints = { startMs: 0, endMs: 600_000 };

async function good(): Promise<StoreEndpoint> {
  return memEndpoint('good', { site: 'g' }, [
    { labels: { __name__: 'x', i: '1' }, samples: samples(0, 600_000, 15_000, (t) => t) },
    { labels: { __name__: 'x', i: '2' }, samples: samples(0, 600_000, 15_000, (t) => t) },
  ]);
}

t.test('a store that never answers: warning after the response timeout (WARN), error (ABORT)', async (t) => {
  const silent = silentStore();
  const eps = [await good(), { name: 'silent', info: anyInfo(), client: silent }];
  const q = new StoreQueryable({ stores: () => eps, responseTimeoutMs: 150 });
  const got = await q.select(sel, hints);
  t.equal(got.length, 2, 'the good store\'s series are returned');
  t.match(q.warnings.join('\n'), /failed to receive any data in 150ms from silent/);
  t.equal(silent.cancelled, 1, 'the silent store\'s call was cancelled');
  const qa = new StoreQueryable({ stores: () => eps, responseTimeoutMs: 150, partialResponse: 'ABORT' });
  await t.rejects(qa.select(sel, hints), { code: 'STOREAPI_ABORTED', message: /failed to receive any data in 150ms from silent/ });
  // Through the engine, the warning reaches QueryResult.warnings when the caller copies them (the API does).
  const r = await new Engine({}).instantQuery(q, 'count(x)', 600_000);
  t.equal(r.value.type === 'vector' && r.value.samples[0]!.v, 2);
});

t.test('a store that dies mid-stream: warning (WARN) with the data it sent, error (ABORT)', async (t) => {
  const g = await good();
  const other = await memEndpoint('dying', { site: 'd' }, [
    { labels: { __name__: 'y', i: '1' }, samples: samples(0, 600_000, 15_000, (t) => t) },
    { labels: { __name__: 'y', i: '2' }, samples: samples(0, 600_000, 15_000, (t) => t) },
  ]);
  const eps = [g, { ...other, client: dyingStore(other.client, 1) }];
  const q = new StoreQueryable({ stores: () => eps });
  const got = await q.select(sel, hints);
  t.equal(got.length, 3, 'both good series and the one frame sent before dying');
  t.match(q.warnings.join('\n'), /dying.*connection reset by peer mid-stream/);
  const qa = new StoreQueryable({ stores: () => eps, partialResponse: 'ABORT' });
  await t.rejects(qa.select(sel, hints), { code: 'STOREAPI_ABORTED' });
});

t.test('a slow store does not block the others: all are asked at once', async (t) => {
  const g = await good();
  let fastStarted!: () => void;
  const started = new Promise<void>((r) => { fastStarted = r; });
  const fast: StoreAPI = { ...g.client, series: (req, sig) => { fastStarted(); return g.client.series(req, sig); } };
  const slowInner = await memEndpoint('slow', { site: 's' }, [{ labels: { __name__: 'y' }, samples: samples(0, 600_000, 15_000, (t) => t) }]);
  // The slow store answers only once the fast one was asked: a sequential fan-out would deadlock.
  const slow: StoreAPI = {
    ...slowInner.client,
    series: (req, sig) => (async function* (): AsyncGenerator<SeriesFrame> { await started; yield* slowInner.client.series(req, sig); })(),
  };
  const eps = [{ ...slowInner, client: slow }, { ...g, client: fast }];
  const got = await new StoreQueryable({ stores: () => eps, responseTimeoutMs: 10_000 }).select(sel, hints);
  t.equal(got.length, 3);
});

t.test('no stores at all: empty under WARN, QUERIER_NO_STORES under ABORT; pruned stores are not asked', async (t) => {
  t.same(await new StoreQueryable({ stores: () => [] }).select(sel, hints), []);
  await t.rejects(new StoreQueryable({ stores: () => [], partialResponse: 'ABORT' }).select(sel, hints), { code: 'QUERIER_NO_STORES' });
  const silent = silentStore();
  const eps = [await good(), { name: 'other-site', info: { ...anyInfo(), labelSets: [[{ name: 'site', value: 'o' }]] }, client: silent }];
  const q = new StoreQueryable({ stores: () => eps, responseTimeoutMs: 100 });
  t.equal((await q.select([...sel, new Matcher('=', 'site', 'g')], hints)).length, 2);
  t.equal(silent.calls, 0, 'store whose label set excludes the matchers was pruned');
  const late = [{ name: 'late', info: { ...anyInfo(), store: { ...anyInfo().store!, minTime: 10_000_000, maxTime: 20_000_000 } }, client: silent }];
  await new StoreQueryable({ stores: () => late }).select(sel, hints);
  t.equal(silent.calls, 0, 'store outside the time range was pruned');
  const sm = new StoreQueryable({ stores: () => eps, storeMatch: [[new Matcher('=', '__address__', 'good')]], responseTimeoutMs: 100 });
  t.equal((await sm.select(sel, hints)).length, 2);
  t.equal(silent.calls, 0, 'storeMatch[] left the other store out');
});

t.test('a cancelled query cancels every store call still streaming', async (t) => {
  const g = await good();
  const silent = silentStore();
  const eps = [g, { name: 'silent', info: anyInfo(), client: silent }];
  const ac = new AbortController();
  const p = new StoreQueryable({ stores: () => eps }).select(sel, hints, ac.signal);
  await silent.called;
  ac.abort(new Error('client went away'));
  await t.rejects(p);
  t.equal(silent.cancelled, 1, 'the silent store\'s call was cancelled');
});
