import t from 'tap';
import { StoreApiBadRequestError } from '../../../../actors/shared/storeapi/errors.js';
import { LIMITS, labelNamesRequest, labelValuesRequest, seriesRequest } from '../../../../actors/shared/storeapi/protocol.js';
import { MAX_TIME, MIN_TIME } from '../../../../actors/shared/storeapi/types.js';
import {
  parseLabelNamesRequest, parseLabelValuesRequest, parseSeriesRequest,
} from '../../../../actors/shared/storeapi/validate-request.js';


/** The `data.field` of the StoreAPI error `fn` throws (undefined when it does not throw one). */
function fieldOf(fn: () => unknown): unknown {
  try { fn(); } catch (err) { return (err as { code?: string; data?: Record<string, unknown> }).code?.startsWith('STOREAPI_') ? (err as { data?: Record<string, unknown> }).data?.field : err; }
  return undefined;
}

const M = [{ type: '=', name: '__name__', value: 'up' }];
const good = {
  kind: 'storeapi.series', minTime: 0, maxTime: 1000, matchers: M, maxResolutionWindow: 300_000, aggregates: ['COUNT', 'SUM'],
  partialResponseStrategy: 'ABORT', skipChunks: true, withoutReplicaLabels: ['replica'], limit: 10, responseBatchSize: 64,
  queryHints: { stepMillis: 15_000, func: { name: 'rate' }, grouping: { by: true, labels: ['job'] }, rangeMillis: 300_000 },
  shardInfo: { shardIndex: 1, totalShards: 4, by: true, labels: ['job'] },
  hints: { blockMatchers: [{ type: '=~', name: '__block_id', value: '01.*' }], enableQueryStats: true },
};

t.test('series request - good inputs', async (t) => {
  t.same(parseSeriesRequest(good), good, 'every field round-trips');
  t.same(parseSeriesRequest({ kind: 'storeapi.series', minTime: MIN_TIME, maxTime: MAX_TIME, matchers: M }), seriesRequest({ matchers: M as never }),
    'absent fields take proto3 zero values (WARN, no limit, raw)');
  const extra = parseSeriesRequest({ ...good, somethingNew: 1 }) as unknown as Record<string, unknown>;
  t.equal(extra.somethingNew, undefined, 'unknown fields are dropped');
  t.same(parseSeriesRequest({ ...good, matchers: [{ type: '!~', name: 'a', value: '(?i)x|y' }] }).matchers, [{ type: '!~', name: 'a', value: '(?i)x|y' }]);
});

t.test('series request - bad inputs name the field', async (t) => {
  const cases: [string, unknown, string][] = [
    ['not an object', 'x', '$'],
    ['wrong kind', { ...good, kind: 'storeapi.labelNames' }, 'kind'],
    ['minTime missing', { ...good, minTime: undefined }, 'minTime'],
    ['minTime fractional', { ...good, minTime: 1.5 }, 'minTime'],
    ['minTime beyond 2^53', { ...good, minTime: 2 ** 60 }, 'minTime'],
    ['maxTime before minTime', { ...good, minTime: 10, maxTime: 5 }, 'maxTime'],
    ['no matchers', { ...good, matchers: [] }, 'matchers'],
    ['matchers not an array', { ...good, matchers: {} }, 'matchers'],
    ['too many matchers', { ...good, matchers: new Array(LIMITS.maxMatchers + 1).fill(M[0]) }, 'matchers'],
    ['matcher type EQ by number', { ...good, matchers: [{ type: 0, name: 'a', value: 'b' }] }, 'matchers[0].type'],
    ['matcher empty name', { ...good, matchers: [M[0], { type: '=', name: '', value: 'b' }] }, 'matchers[1].name'],
    ['matcher bad regex', { ...good, matchers: [{ type: '=~', name: 'a', value: '(' }] }, 'matchers[0].value'],
    ['matcher lookahead', { ...good, matchers: [{ type: '=~', name: 'a', value: '(?=x)' }] }, 'matchers[0].value'],
    ['label name too long', { ...good, matchers: [{ type: '=', name: 'a'.repeat(LIMITS.maxLabelNameLength + 1), value: '' }] }, 'matchers[0].name'],
    ['negative resolution', { ...good, maxResolutionWindow: -1 }, 'maxResolutionWindow'],
    ['unknown aggregate', { ...good, aggregates: ['AVG'] }, 'aggregates[0]'],
    ['bad strategy', { ...good, partialResponseStrategy: 'warn' }, 'partialResponseStrategy'],
    ['skipChunks as string', { ...good, skipChunks: 'true' }, 'skipChunks'],
    ['replica label empty', { ...good, withoutReplicaLabels: [''] }, 'withoutReplicaLabels[0]'],
    ['too many replica labels', { ...good, withoutReplicaLabels: new Array(LIMITS.maxReplicaLabels + 1).fill('r') }, 'withoutReplicaLabels'],
    ['negative limit', { ...good, limit: -1 }, 'limit'],
    ['batch too large', { ...good, responseBatchSize: LIMITS.maxFrameSeries + 1 }, 'responseBatchSize'],
    ['shard index out of range', { ...good, shardInfo: { shardIndex: 4, totalShards: 4, by: true, labels: [] } }, 'shardInfo.shardIndex'],
    ['zero shards', { ...good, shardInfo: { shardIndex: 0, totalShards: 0, by: true, labels: [] } }, 'shardInfo.totalShards'],
    ['hint func name not a string', { ...good, queryHints: { func: { name: 1 } } }, 'queryHints.func.name'],
    ['block matcher bad', { ...good, hints: { blockMatchers: [{ type: '=', name: 7, value: '' }] } }, 'hints.blockMatchers[0].name'],
  ];
  for (const [name, input, field] of cases) {
    try {
      parseSeriesRequest(input);
      t.fail(`${name}: accepted`);
    } catch (err) {
      t.ok(err instanceof StoreApiBadRequestError, `${name}: typed error`);
      t.equal((err as InstanceType<typeof StoreApiBadRequestError>).code, 'STOREAPI_BAD_REQUEST');
      t.equal((err as InstanceType<typeof StoreApiBadRequestError>).data?.field, field, `${name}: names ${field}`);
      t.match((err as Error).message, /^decoding series request: field "/, `${name}: message`);
    }
  }
});

t.test('label requests - good and bad', async (t) => {
  const ln = labelNamesRequest({ start: 0, end: 10, limit: 5, withoutReplicaLabels: ['replica'] });
  t.same(parseLabelNamesRequest(ln), ln);
  t.same(parseLabelNamesRequest({ kind: 'storeapi.labelNames', start: 0, end: 1 }), labelNamesRequest({ start: 0, end: 1 }), 'matchers optional');
  const lv = labelValuesRequest({ label: 'job', matchers: [{ type: '=', name: 'a', value: 'b' }], hints: { blockMatchers: [], enableQueryStats: false } });
  t.same(parseLabelValuesRequest(lv), lv);
  t.throws(() => parseLabelValuesRequest({ ...lv, label: '' }), { code: 'STOREAPI_BAD_REQUEST', data: { field: 'label' } });
  t.equal(fieldOf(() => parseLabelValuesRequest({ ...lv, label: undefined })), 'label');
  t.equal(fieldOf(() => parseLabelNamesRequest({ ...ln, start: 5, end: 1 })), 'end');
  t.equal(fieldOf(() => parseLabelNamesRequest({ ...ln, kind: 'storeapi.series' })), 'kind');
});
