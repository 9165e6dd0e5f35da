import t from 'tap';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import { goJsonLabels, goJsonString, goJsonStringList } from '../../../../../actors/shared/promql/api/go-json.js';
import { queryDataJson } from '../../../../../actors/shared/promql/api/result-json.js';
import { errorResponse, successResponse } from '../../../../../actors/shared/promql/api/envelope.js';

t.test('strings escape as Go encoding/json with HTML escaping', async (t) => {
  t.equal(goJsonString('plain'), '"plain"');
  t.equal(goJsonString('a<b>&"c"\\'), '"a\\u003cb\\u003e\\u0026\\"c\\"\\\\"');
  t.equal(goJsonString('\n\r\t\b\f\u0000\u001f\u007f'), '"\\n\\r\\t\\u0008\\u000c\\u0000\\u001f\u007f"');
  t.equal(goJsonString('\u2028\u2029é😀'), '"\\u2028\\u2029é😀"');
  t.equal(goJsonString('x\ud800y'), '"x\\ufffdy"');
  t.equal(goJsonStringList([]), '[]');
  t.equal(goJsonStringList(['a', 'b<']), '["a","b\\u003c"]');
});

t.test('label maps have keys in byte order', async (t) => {
  t.equal(goJsonLabels([]), '{}');
  t.equal(goJsonLabels(labelsFromObject({ job: 'a', __name__: 'up', Z: '1' })), '{"Z":"1","__name__":"up","job":"a"}');
  t.equal(goJsonLabels([{ name: 'b', value: '1' }, { name: 'a', value: '2' }]), '{"a":"2","b":"1"}');
});

t.test('query data golden strings', async (t) => {
  const m = labelsFromObject({ __name__: 'up', instance: 'h:9090' });
  t.equal(queryDataJson({ type: 'vector', samples: [] }), '{"resultType":"vector","result":[]}');
  t.equal(queryDataJson({ type: 'matrix', series: [] }), '{"resultType":"matrix","result":[]}');
  t.equal(
    queryDataJson({ type: 'vector', samples: [{ labels: m, t: 1500, v: 1 }, { labels: [], t: 1500, v: NaN }] }),
    '{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"h:9090"},"value":[1.500,"1"]},{"metric":{},"value":[1.500,"NaN"]}]}',
  );
  const ts = Float64Array.of(-1500, 0, 1050, 1700000000001, 1700000000120);
  const vs = Float64Array.of(Infinity, -Infinity, -0, 1e-7, 0.1 + 0.2);
  t.equal(
    queryDataJson({ type: 'matrix', series: [{ labels: m, ts, vs }, { labels: [], ts: new Float64Array(0), vs: new Float64Array(0) }] }),
    '{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"h:9090"},"values":[[-1.500,"+Inf"],[0,"-Inf"],[1.050,"-0"],[1700000000.001,"1e-07"],[1700000000.120,"0.30000000000000004"]]},{"metric":{}}]}',
  );
  t.equal(queryDataJson({ type: 'vector', samples: [{ labels: [], t: 0, v: 1e21 }, { labels: [], t: 0, v: 123456789.5 }] }),
    '{"resultType":"vector","result":[{"metric":{},"value":[0,"1e+21"]},{"metric":{},"value":[0,"123456789.5"]}]}');
  t.equal(queryDataJson({ type: 'scalar', t: 1500, v: 1e21 }), '{"resultType":"scalar","result":[1.5,"1000000000000000000000"]}');
  t.equal(queryDataJson({ type: 'scalar', t: 1700000000000, v: 1.5e-7 }), '{"resultType":"scalar","result":[1700000000,"0.00000015"]}');
  t.equal(queryDataJson({ type: 'scalar', t: 0, v: -Infinity }), '{"resultType":"scalar","result":[0,"-Inf"]}');
  t.equal(queryDataJson({ type: 'string', t: 1001, v: 'a<b>' }), '{"resultType":"string","result":[1.001,"a\\u003cb\\u003e"]}');
});

t.test('envelope', async (t) => {
  const ok = successResponse('[]');
  t.equal(ok.status, 200);
  t.equal(ok.body, '{"status":"success","data":[]}');
  t.same(ok.headers, { 'content-type': 'application/json' });
  t.equal(successResponse('[]', ['w1', 'w<2>']).body, '{"status":"success","data":[],"warnings":["w1","w\\u003c2\\u003e"]}');
  const cases: Array<[Parameters<typeof errorResponse>[0], number]> = [
    ['bad_data', 400], ['execution', 422], ['timeout', 503], ['canceled', 503], ['internal', 500], ['unavailable', 500], ['not_found', 404],
  ];
  for (const [type, status] of cases) {
    const r = errorResponse(type, 'boom "x"');
    t.equal(r.status, status, type);
    t.equal(r.body, `{"status":"error","errorType":"${type}","error":"boom \\"x\\""}`);
  }
});

t.test('compression as httputil.CompressionHandler', async (t) => {
  const { compressResponse, pickEncoding } = await import('../../../../../actors/shared/promql/api/compression.js');
  const { gunzipSync, inflateSync } = await import('node:zlib');
  t.equal(pickEncoding(undefined), undefined);
  t.equal(pickEncoding('br, deflate, gzip'), 'deflate');
  t.equal(pickEncoding('gzip;q=1'), undefined, 'q-values are not understood (as 2.42)');
  t.equal(pickEncoding(' gzip ,deflate'), 'gzip');
  const res = successResponse('[]');
  t.equal(await compressResponse(res, undefined), res);
  const g = await compressResponse(res, 'gzip');
  t.equal(g.headers?.['content-encoding'], 'gzip');
  t.equal(gunzipSync(g.body as Uint8Array).toString(), res.body);
  const d = await compressResponse(res, 'deflate');
  t.equal(inflateSync(d.body as Uint8Array).toString(), res.body);
  t.same(await compressResponse({ status: 204 }, 'gzip'), { status: 204 });
});

t.test('chunked query data equals the one-string form', async (t) => {
  const { queryDataChunks, pointCount } = await import('../../../../../actors/shared/promql/api/result-json.js');
  const m = labelsFromObject({ __name__: 'x', a: '<&>' });
  const values = [
    { type: 'vector' as const, samples: [] },
    { type: 'matrix' as const, series: [] },
    { type: 'vector' as const, samples: [{ labels: m, t: 1, v: 2 }, { labels: [], t: 1, v: NaN }, { labels: m, t: -5, v: 1e-9 }] },
    { type: 'matrix' as const, series: [{ labels: m, ts: Float64Array.of(1, 2, 3), vs: Float64Array.of(1, 2, 3) }, { labels: [], ts: new Float64Array(0), vs: new Float64Array(0) }, { labels: m, ts: Float64Array.of(1500), vs: Float64Array.of(-0) }] },
    { type: 'scalar' as const, t: 1, v: 1 },
    { type: 'string' as const, t: 1, v: 's' },
  ];
  for (const v of values) {
    for (const size of [1, 10, 1 << 16]) t.equal([...queryDataChunks(v, size)].join(''), queryDataJson(v), `${v.type} chunks of ${size}`);
  }
  t.equal(pointCount(values[3]!), 4);
  t.equal(pointCount(values[2]!), 3);
  t.equal(pointCount(values[4]!), 1);
});
