import t from 'tap';
import { once } from 'node:events';
import { request } from 'node:http';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import type { Matcher } from '../../../../../actors/shared/labels/matcher.js';
import { engineOver, mountPrometheusApi, type BuildInfo } from '../../../../../actors/shared/promql/api/index.js';
import { Engine } from '../../../../../actors/shared/promql/engine/index.js';
import type { Queryable, SelectHints, SeriesData } from '../../../../../actors/shared/promql/storage/queryable.js';
import { MemoryStorage } from '../../../../../actors/shared/promql/storage/index.js';
import { HttpServer } from '../../../../../runtime/http/server.js';
import { createRegistry } from '../../../../../runtime/metrics/registry.js';

const BUILD: BuildInfo = { version: '2.42.0', revision: 'r', branch: 'b', buildUser: 'u', buildDate: 'd', goVersion: 'go1.19.8' };

/** A queryable that blocks until its signal aborts, reporting each select. */
class BlockingQueryable implements Queryable {
  readonly selects: AbortSignal[] = [];
  waiter: (() => void) | undefined;
  async select(_m: readonly Matcher[], _h: SelectHints, signal?: AbortSignal): Promise<SeriesData[]> {
    this.selects.push(signal!);
    this.waiter?.();
    if (!signal!.aborted) await once(signal!, 'abort');
    return [];
  }
}

async function setup(t: { teardown(fn: () => unknown): void }) {
  const st = new MemoryStorage();
  const a = labelsFromObject({ __name__: 'up', job: 'api', instance: 'a<1>' });
  const b = labelsFromObject({ __name__: 'up', job: 'db', instance: 'b' });
  const c = labelsFromObject({ __name__: 'other', env: 'prod' });
  for (let i = 0; i <= 20; i++) {
    st.append(a, i * 15_000, i);
    st.append(b, i * 15_000, i % 3 === 0 ? NaN : 1 / 3);
    st.append(c, i * 15_000 + 500, Infinity);
  }
  const blocking = new BlockingQueryable();
  const server = new HttpServer({ address: { host: '127.0.0.1', port: 0 }, registry: createRegistry({ defaultMetrics: false }) });
  const engine = new Engine({ maxPointsPerSeries: 11_001 });
  mountPrometheusApi(server, { engine: engineOver(engine, st), metadata: st, buildInfo: BUILD, now: () => 300_000 });
  server.route('GET', '/blocking/api/v1/*', async () => ({ status: 500 }));
  mountPrometheusApi(server, { engine: engineOver(engine, blocking), metadata: st, buildInfo: BUILD }, '/blocking/api/v1');
  mountPrometheusApi(server, { engine: engineOver(engine, st), metadata: st, buildInfo: BUILD, streamPoints: 3 }, '/streaming/api/v1');
  const addr = await server.listen();
  t.teardown(() => server.close());
  const base = `http://127.0.0.1:${addr.port}`;
  const get = async (path: string) => { const r = await fetch(base + path); return { status: r.status, body: await r.text(), type: r.headers.get('content-type') }; };
  const post = async (path: string, form: string, query = '') => {
    const r = await fetch(base + path + query, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    return { status: r.status, body: await r.text(), type: r.headers.get('content-type') };
  };
  return { base, get, post, blocking };
}

t.test('results', async (t) => {
  const { get } = await setup(t);
  const r = await get('/api/v1/query?query=up&time=150');
  t.equal(r.status, 200);
  t.equal(r.type, 'application/json');
  t.equal(r.body, '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a\\u003c1\\u003e","job":"api"},"value":[150,"10"]},{"metric":{"__name__":"up","instance":"b","job":"db"},"value":[150,"0.3333333333333333"]}]}}');
  t.equal((await get('/api/v1/query?query=time()')).body, '{"status":"success","data":{"resultType":"scalar","result":[300,"300"]}}', 'time defaults to now');
  t.equal((await get('/api/v1/query_range?query=other&start=0&end=30&step=15')).body,
    '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"other","env":"prod"},"values":[[15,"+Inf"],[30,"+Inf"]]}]}}');
  t.equal((await get('/api/v1/query?query=up{job="db"}[31s]&time=45.5')).body,
    '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"b","job":"db"},"values":[[15,"0.3333333333333333"],[30,"0.3333333333333333"],[45,"NaN"]]}]}}');
  t.equal((await get('/api/v1/series?match[]=up&match[]={job="api"}')).body,
    '{"status":"success","data":[{"__name__":"up","instance":"a\\u003c1\\u003e","job":"api"},{"__name__":"up","instance":"b","job":"db"}]}');
  t.equal((await get('/api/v1/labels')).body, '{"status":"success","data":["__name__","env","instance","job"]}');
  t.equal((await get('/api/v1/labels?match[]=other')).body, '{"status":"success","data":["__name__","env"]}');
  t.equal((await get('/api/v1/label/__name__/values')).body, '{"status":"success","data":["other","up"]}');
  t.equal((await get('/api/v1/label/job/values?match[]=nothing')).body, '{"status":"success","data":[]}');
  t.equal((await get('/api/v1/series?match[]=up&start=1000')).body, '{"status":"success","data":[]}', 'time range applies');
  t.equal((await get('/api/v1/metadata')).body, '{"status":"success","data":{}}');
  t.equal((await get('/api/v1/status/buildinfo')).body,
    '{"status":"success","data":{"version":"2.42.0","revision":"r","branch":"b","buildUser":"u","buildDate":"d","goVersion":"go1.19.8"}}');
  t.equal((await get('/api/v1/format_query?query=sum(up)by(job)')).body, '{"status":"success","data":"sum by (job) (up)"}');
  t.equal((await get('/api/v1/label/a/b/values')).status, 404);
});

t.test('parameter errors: status, type and 2.42 text', async (t) => {
  const { get } = await setup(t);
  const cases: Array<[string, number, string, string]> = [
    ['/api/v1/query?query=up&time=x', 400, 'bad_data', `invalid parameter "time": Invalid time value for 'time': cannot parse "x" to a valid timestamp`],
    ['/api/v1/query?query=up[', 400, 'bad_data', 'invalid parameter "query": 1:4: parse error: missing unit character in duration'],
    ['/api/v1/query?query=', 400, 'bad_data', 'invalid parameter "query": 1:1: parse error: no expression found in input'],
    ['/api/v1/query?query=up&timeout=x', 400, 'bad_data', 'invalid parameter "timeout": cannot parse "x" to a valid duration'],
    ['/api/v1/query?query=up&timeout=0', 503, 'timeout', 'query timed out in query execution'],
    ['/api/v1/query_range?query=up&start=x&end=1&step=1', 400, 'bad_data', 'invalid parameter "start": cannot parse "x" to a valid timestamp'],
    ['/api/v1/query_range?query=up&start=1&step=1', 400, 'bad_data', 'invalid parameter "end": cannot parse "" to a valid timestamp'],
    ['/api/v1/query_range?query=up&start=1&end=0&step=1', 400, 'bad_data', 'invalid parameter "end": end timestamp must not be before start time'],
    ['/api/v1/query_range?query=up&start=1&end=2&step=0', 400, 'bad_data', 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer'],
    ['/api/v1/query_range?query=up&start=0&end=10&step=x', 400, 'bad_data', 'invalid parameter "step": cannot parse "x" to a valid duration'],
    ['/api/v1/query_range?query=up&start=0&end=11001&step=1', 400, 'bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)'],
    ['/api/v1/query_range?query=up&start=0&end=10&step=0.0001', 400, 'bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)'],
    ['/api/v1/query_range?query=up[5m]&start=0&end=10&step=1', 400, 'bad_data', 'invalid expression type "range vector" for range query, must be Scalar or instant Vector'],
    ['/api/v1/query_range?query=up[&start=0&end=10&step=1', 400, 'bad_data', '1:4: parse error: missing unit character in duration'],
    ['/api/v1/query?query=up%2Bon()up&time=150', 422, 'execution', ''],
    ['/api/v1/series', 400, 'bad_data', 'no match[] parameter provided'],
    ['/api/v1/series?match[]=up;x', 400, 'bad_data', 'error parsing form values: invalid semicolon separator in query'],
    ['/api/v1/series?match[]=up&start=x', 400, 'bad_data', `invalid parameter "start": Invalid time value for 'start': cannot parse "x" to a valid timestamp`],
    ['/api/v1/series?match[]=rate(x[5m])', 400, 'bad_data', 'invalid parameter "match[]": 1:5: parse error: unexpected "("'],
    ['/api/v1/series?match[]=up%20offset%205m', 400, 'bad_data', 'invalid parameter "match[]": 1:4: parse error: unexpected <offset>'],
    ['/api/v1/series?match[]=1', 400, 'bad_data', 'invalid parameter "match[]": 1:1: parse error: unexpected number "1"'],
    ['/api/v1/series?match[]={a=""}', 400, 'bad_data', 'invalid parameter "match[]": match[] must contain at least one non-empty matcher'],
    ['/api/v1/series?match[]={}', 400, 'bad_data', 'invalid parameter "match[]": match[] must contain at least one non-empty matcher'],
    ['/api/v1/series?match[]=up{', 400, 'bad_data', 'invalid parameter "match[]": 1:4: parse error: unexpected end of input inside braces'],
    ['/api/v1/labels?start=x', 400, 'bad_data', `invalid parameter "start": Invalid time value for 'start': cannot parse "x" to a valid timestamp`],
    ['/api/v1/labels?match[]=rate(x[5m])', 400, 'bad_data', '1:5: parse error: unexpected "("'],
    ['/api/v1/label/1a/values', 400, 'bad_data', 'invalid label name: "1a"'],
    ['/api/v1/label/job/values?end=x', 400, 'bad_data', `invalid parameter "end": Invalid time value for 'end': cannot parse "x" to a valid timestamp`],
    ['/api/v1/metadata?limit=x', 400, 'bad_data', 'limit must be a number'],
    ['/api/v1/format_query?query=up[', 400, 'bad_data', 'invalid parameter "query": 1:4: parse error: missing unit character in duration'],
  ];
  for (const [path, status, type, msg] of cases) {
    const r = await get(path);
    t.equal(r.status, status, `${path} status`);
    if (msg === '') { t.match(r.body, `"errorType":"${type}"`, path); continue; }
    t.equal(r.body, JSON.stringify({ status: 'error', errorType: type, error: msg }).replace(/</g, '\\u003c').replace(/>/g, '\\u003e'), path);
  }
  t.equal((await get('/api/v1/labels?match[]=%zz')).body, '{"status":"success","data":["__name__","env","instance","job"]}', 'bad escape skips the pair');
});

t.test('POST form equals GET; body values come first', async (t) => {
  const { get, post } = await setup(t);
  const pairs = [
    ['/api/v1/query', 'query=sum(up)&time=150'],
    ['/api/v1/query_range', 'query=rate(up[1m])&start=0&end=300&step=15'],
    ['/api/v1/series', 'match[]=up&match[]=other'],
    ['/api/v1/labels', 'match[]=other'],
    ['/api/v1/format_query', 'query=up%2B1'],
  ];
  for (const [path, form] of pairs) {
    const g = await get(`${path}?${form}`);
    const p = await post(path, form!);
    t.equal(g.status, 200, path);
    t.same(p, g, `POST ${path}`);
  }
  t.equal((await post('/api/v1/query', 'time=150', '?query=time()&time=1')).body, '{"status":"success","data":{"resultType":"scalar","result":[150,"150"]}}');
  t.equal((await post('/api/v1/series', 'match[]=other', '?match[]=up')).body,
    '{"status":"success","data":[{"__name__":"other","env":"prod"},{"__name__":"up","instance":"a\\u003c1\\u003e","job":"api"},{"__name__":"up","instance":"b","job":"db"}]}');
});

t.test('large results are streamed with the same bytes, compressed or not', async (t) => {
  const { base, get } = await setup(t);
  for (const path of ['query_range?query=up&start=0&end=300&step=15', 'query?query=up[5m]&time=300', 'query?query=up&time=150']) {
    const whole = await get(`/api/v1/${path}`);
    const streamed = await get(`/streaming/api/v1/${path}`);
    t.same(streamed, whole, path);
    const plain = await new Promise<{ headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      request(`${base}/streaming/api/v1/${path}`, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ headers: res.headers, body }));
      }).on('error', reject).end();
    });
    t.equal(plain.body, whole.body, `${path} without compression`);
    const small = path.startsWith('query?query=up&');
    t.equal(plain.headers['transfer-encoding'], small ? undefined : 'chunked', small ? 'small result: one body' : 'streamed');
  }
});

t.test('timeout and client disconnect reach the engine', async (t) => {
  const { base, get, blocking } = await setup(t);
  const r = await get('/blocking/api/v1/query?query=up&timeout=0.05');
  t.equal(r.status, 503);
  t.equal(r.body, '{"status":"error","errorType":"timeout","error":"query timed out in query execution"}');

  const selected = new Promise<void>((resolve) => { blocking.waiter = resolve; });
  const req = request(`${base}/blocking/api/v1/query?query=up`);
  req.on('error', () => {});
  req.end();
  await selected;
  const signal = blocking.selects.at(-1)!;
  t.equal(signal.aborted, false);
  req.destroy();
  if (!signal.aborted) await once(signal, 'abort');
  t.equal(signal.aborted, true, 'client disconnect aborts the query');
});
