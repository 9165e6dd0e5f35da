import t from 'tap';
import { StoreApiBadResponseError } from '../../../../actors/shared/storeapi/errors.js';
import { LIMITS } from '../../../../actors/shared/storeapi/protocol.js';
import {
  parseInfoResponse, parseLabelNamesResponse, parseLabelValuesResponse, parseSeriesFrame,
} from '../../../../actors/shared/storeapi/validate-response.js';


/** The `data.field` of the StoreAPI error `fn` throws (undefined when it does not throw one). */
function fieldOf(fn: () => unknown): unknown {
  try { fn(); } catch (err) { return (err as { code?: string; data?: Record<string, unknown> }).code?.startsWith('STOREAPI_') ? (err as { data?: Record<string, unknown> }).data?.field : err; }
  return undefined;
}

const labels = [{ name: '__name__', value: 'up' }, { name: 'job', value: 'x' }];
const raw = { type: 'XOR', data: Uint8Array.of(0, 1, 2) };
const series = { labels, chunks: [{ minTime: 0, maxTime: 10, raw }, { minTime: 11, maxTime: 20, count: raw, sum: raw }] };

t.test('series frames - good', async (t) => {
  t.same(parseSeriesFrame({ kind: 'series', series }), { kind: 'series', series });
  t.same(parseSeriesFrame({ kind: 'batch', series: [series, { labels, chunks: [] }] }), { kind: 'batch', series: [series, { labels, chunks: [] }] });
  t.same(parseSeriesFrame({ kind: 'warning', message: 'x' }), { kind: 'warning', message: 'x' });
  t.same(parseSeriesFrame({ kind: 'hints', hints: { queriedBlocks: ['01A'], queryStats: { blocksQueried: 1 } } }),
    { kind: 'hints', hints: { queriedBlocks: ['01A'], queryStats: { blocksQueried: 1 } } });
  const buf = Buffer.from([1, 2, 3]);
  const f = parseSeriesFrame({ kind: 'series', series: { labels, chunks: [{ minTime: 0, maxTime: 0, raw: { type: 'XOR', data: buf } }] } });
  t.equal(f.kind === 'series' ? f.series.chunks[0]!.raw!.data : undefined, buf, 'bytes are not copied');
});

t.test('series frames - bad', async (t) => {
  const cases: [string, unknown, string][] = [
    ['unknown kind', { kind: 'nope' }, 'kind'],
    ['labels unsorted', { kind: 'series', series: { labels: [labels[1], labels[0]], chunks: [] } }, 'series.labels[1].name'],
    ['labels duplicated', { kind: 'series', series: { labels: [labels[0], labels[0]], chunks: [] } }, 'series.labels[1].name'],
    ['label value not a string', { kind: 'series', series: { labels: [{ name: 'a', value: 1 }], chunks: [] } }, 'series.labels[0].value'],
    ['chunk range reversed', { kind: 'series', series: { labels, chunks: [{ minTime: 5, maxTime: 1, raw }] } }, 'series.chunks[0].maxTime'],
    ['chunk with no parts', { kind: 'series', series: { labels, chunks: [{ minTime: 0, maxTime: 1 }] } }, 'series.chunks[0]'],
    ['chunk data not bytes', { kind: 'series', series: { labels, chunks: [{ minTime: 0, maxTime: 1, raw: { type: 'XOR', data: [1] } }] } }, 'series.chunks[0].raw.data'],
    ['chunk encoding unknown', { kind: 'series', series: { labels, chunks: [{ minTime: 0, maxTime: 1, min: { type: 'ZSTD', data: raw.data } }] } }, 'series.chunks[0].min.type'],
    ['empty batch', { kind: 'batch', series: [] }, 'series'],
    ['batch too large', { kind: 'batch', series: new Array(LIMITS.maxFrameSeries + 1).fill(series) }, 'series'],
    ['batch item bad', { kind: 'batch', series: [series, { labels: 'x', chunks: [] }] }, 'series[1].labels'],
    ['warning not a string', { kind: 'warning', message: 3 }, 'message'],
    ['warning too long', { kind: 'warning', message: 'x'.repeat(LIMITS.maxWarningLength + 1) }, 'message'],
    ['hints stats negative', { kind: 'hints', hints: { queriedBlocks: [], queryStats: { x: -1 } } }, 'hints.queryStats.x'],
  ];
  for (const [name, input, field] of cases) {
    const err = (() => { try { parseSeriesFrame(input); return undefined; } catch (e) { return e; } })();
    t.ok(err instanceof StoreApiBadResponseError, `${name}: typed error`);
    t.equal((err as InstanceType<typeof StoreApiBadResponseError>).data?.field, field, `${name}: names ${field}`);
  }
});

t.test('info response', async (t) => {
  const info = {
    kind: 'storeapi.info', labelSets: [[{ name: 'replica', value: 'a' }]], componentType: 'sidecar',
    store: { minTime: 0, maxTime: 100, supportsSharding: true, supportsWithoutReplicaLabels: true, tsdbInfos: [{ labels: [], minTime: 0, maxTime: 100 }] },
  };
  t.same(parseInfoResponse(info), info);
  t.same(parseInfoResponse({ kind: 'storeapi.info', labelSets: [], componentType: 'query' }), { kind: 'storeapi.info', labelSets: [], componentType: 'query' });
  t.throws(() => parseInfoResponse({ ...info, componentType: 'gateway' }), { code: 'STOREAPI_BAD_RESPONSE', data: { field: 'componentType' } });
  t.equal(fieldOf(() => parseInfoResponse({ ...info, store: { ...info.store, minTime: 'x' } })), 'store.minTime');
  t.equal(fieldOf(() => parseInfoResponse({ ...info, labelSets: [[{ name: '', value: 'a' }]] })), 'labelSets[0][0].name');
});

t.test('label responses', async (t) => {
  t.same(parseLabelNamesResponse({ kind: 'storeapi.labelNames.result', names: ['a', 'b'], warnings: ['w'] }),
    { kind: 'storeapi.labelNames.result', names: ['a', 'b'], warnings: ['w'] });
  t.same(parseLabelValuesResponse({ kind: 'storeapi.labelValues.result', values: ['1'], warnings: [], hints: { queriedBlocks: ['01A'] } }),
    { kind: 'storeapi.labelValues.result', values: ['1'], warnings: [], hints: { queriedBlocks: ['01A'] } });
  t.equal(fieldOf(() => parseLabelNamesResponse({ kind: 'storeapi.labelNames.result', names: ['b', 'a'], warnings: [] })), 'names[1]');
  t.equal(fieldOf(() => parseLabelValuesResponse({ kind: 'storeapi.labelValues.result', values: ['a', 'a'], warnings: [] })), 'values[1]');
  t.equal(fieldOf(() => parseLabelValuesResponse({ kind: 'storeapi.labelValues.result', values: [], warnings: [1] })), 'warnings[0]');
});

t.test('frames survive the runtime codec (msgpackr) and validate on the other side', async (t) => {
  const { encode, decode } = await import('../../../../runtime/codec/codec.js');
  const frame = { kind: 'batch', series: [series, { labels, chunks: [] }] };
  const back = parseSeriesFrame(decode(encode(frame), 'test frame'));
  t.same(back, frame);
  t.ok(back.kind === 'batch' && back.series[0]!.chunks[0]!.raw!.data instanceof Uint8Array);
});
