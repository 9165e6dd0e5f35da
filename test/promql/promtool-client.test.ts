// Our Prometheus HTTP API (actors/shared/promql/api) against the real Prometheus 2.42 (apt) over
// the same promtool-backfilled blocks: raw response bytes of metadata, error and query requests
// must be identical, and `promtool query instant|range|series|labels` (a real client of the API,
// sending POST forms) must print the same against both servers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Matcher } from '../../actors/shared/labels/matcher.js';
import { engineOver, mountPrometheusApi } from '../../actors/shared/promql/api/index.js';
import { Engine } from '../../actors/shared/promql/engine/index.js';
import { MemoryStorage } from '../../actors/shared/promql/storage/index.js';
import { openBlocks, selectMerged } from '../../actors/shared/tsdb/block/index.js';
import { HttpServer } from '../../runtime/http/server.js';
import { createRegistry } from '../../runtime/metrics/registry.js';
import { writeOpenMetrics } from '../harness/openmetrics-gen.js';
import { startPrometheus } from '../harness/prometheus.js';
import { createBlocksFromOpenMetrics, runPromtool } from '../harness/promtool.js';

const START = 1699999200;
const END = START + 2 * 3600;
const GEN = { startSec: START, hours: 2, series: 3, specials: true, summaries: false, seed: 11, jitterMs: 900 };

/** Every sample of the blocks in `dir`, loaded through our block reader. */
async function loadBlocks(dir: string): Promise<MemoryStorage> {
  const st = new MemoryStorage();
  const blocks = await openBlocks(dir);
  try {
    for (const s of await selectMerged(blocks, [new Matcher('=~', '__name__', '.+')], -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)) {
      const { ts, vs } = await s.samples();
      st.appendMany(s.labels, ts, vs);
    }
  } finally {
    for (const b of blocks) await b.close();
  }
  return st;
}

const iso = (sec: number): string => new Date(sec * 1000).toISOString();

const REQUESTS: string[] = [
  // metadata
  'series?match[]=gen_requests_total', 'series?match[]=gen_requests_total&match[]={job="api",code="500"}',
  'series?match[]={__name__=~"gen_temp.*|gen_flaky_up"}', `series?match[]=gen_flaky_up&start=${START}&end=${END}`,
  `series?match[]=gen_flaky_up&start=${iso(END + 86400)}`, `series?match[]=gen_flaky_up&end=${START - 86400}`,
  'series?match[]={instance=~"host-1.*",job!="flaky"}', 'series?match[]=nothing_here',
  'labels', 'labels?match[]=gen_flaky_up', 'labels?match[]=gen_flaky_up&match[]=gen_special_values',
  `labels?start=${END + 86400}`, 'labels?match[]=nothing',
  'label/__name__/values', 'label/job/values', 'label/instance/values?match[]=gen_flaky_up', 'label/le/values',
  'label/nope/values', `label/code/values?start=${iso(START)}&end=${iso(END)}`,
  'metadata', 'metadata?limit=1', 'metadata?metric=gen_flaky_up',
  // parameter errors
  'query?query=up&time=x', 'query?query=up[', 'query?query=', 'query?query=up&timeout=x', 'query?query=up&timeout=0',
  'query?query=sum(', 'query?query=rate(gen_requests_total)', 'query?query=foo{a=~"("}',
  'query_range?query=up&start=x&end=1&step=1', 'query_range?query=up&start=1&step=1', 'query_range?query=up&start=1&end=0&step=1',
  'query_range?query=up&start=1&end=2&step=0', 'query_range?query=up&start=1&end=2&step=-1', 'query_range?query=up&start=0&end=10&step=x',
  'query_range?query=up&start=0&end=11001&step=1', 'query_range?query=up&start=0&end=10&step=0.0001',
  'query_range?query=up[5m]&start=0&end=10&step=1', 'query_range?query="s"&start=0&end=10&step=1', 'query_range?query=up[&start=0&end=10&step=1',
  'series', 'series?match[]=up;x', 'series?match[]=up&start=x', 'series?match[]=rate(x[5m])', 'series?match[]=up%20offset%205m',
  'series?match[]=1', 'series?match[]={a=""}', 'series?match[]={}', 'series?match[]=up{', 'series?match[]={a=~"("}',
  'labels?start=x', 'labels?end=1e400', 'labels?match[]=rate(x[5m])', 'labels?match[]={a=""}', 'labels?match[]=%zz',
  'label/1a/values', 'label/job/values?end=x', 'label/job/values?match[]=up{', 'metadata?limit=x', 'format_query?query=up[',
  // queries (engine-dependent)
  `query?query=gen_requests_total&time=${START + 1800}`, `query?query=gen_requests_total[1m]&time=${START + 1800.5}`,
  `query?query=sum by (job) (rate(gen_requests_total[5m]))&time=${iso(START + 3600)}`, `query?query=time()&time=${START + 0.5}`,
  `query?query=time()&time=1.0005`, `query?query="a<b>&"&time=${START}`, `query?query=gen_special_values&time=${START + 600}`,
  `query?query=1/0&time=${START}`, `query?query=nothing&time=${START}`, `query?query=-0*1&time=${START}`,
  `query?query=gen_temperature_celsius/1e30&time=${START + 900}`,
  `query_range?query=rate(gen_requests_total[5m])&start=${START + 300}&end=${START + 1200}&step=97`,
  `query_range?query=gen_special_values&start=${iso(START)}&end=${iso(START + 1800)}&step=1m`,
  `query_range?query=time()&start=${START}.25&end=${START + 60}&step=7.5`,
  `query_range?query=gen_flaky_up&start=${START}&end=${END}&step=5m&timeout=1m`,
  `query_range?query=nothing&start=${START}&end=${END}&step=60`,
  `query_range?query=gen_requests_total%2Bon()gen_requests_total&start=${START}&end=${END}&step=60`,
  'format_query?query=sum(rate(x[5m]))by(job)', 'format_query?query=a%2Bb*c',
  // long queries: 2.42's Pretty splits them
  'format_query?query=' + encodeURIComponent('sum by (job, instance) (rate(gen_requests_total{job="api",code="500",instance=~"host-1.*|host-2.*|host-3.*|host-4.*"}[5m]))'),
  'format_query?query=sum%20by%20%28job%2C%20instance%29%20%28rate%28gen_requests_total%7Bcode%3D%22500%22%2Cjob%3D%22api%22%7D%5B5m%5D%29%29%20%2F%20on%20%28job%2C%20instance%29%20group_left%20sum%20by%20%28job%2C%20instance%29%20%28rate%28gen_requests_total%5B5m%5D%29%29', 'format_query?query=histogram_quantile%280.9%2C%20sum%20by%20%28le%2C%20job%29%20%28rate%28gen_request_duration_seconds_bucket%7Binstance%3D~%22host-.%2A%22%2Cjob%3D%22api%22%7D%5B5m%5D%29%29%29%20%3E%20bool%200.5', 'format_query?query=max_over_time%28rate%28gen_requests_total%7Bcode%3D%22500%22%2Cinstance%3D~%22host-1.%2A%7Chost-2.%2A%22%2Cjob%3D%22api%22%7D%5B5m%5D%29%5B30m%3A1m%5D%20offset%205m%29', 'format_query?query=-%28sum%28rate%28gen_requests_total%7Bcode%3D%22500%22%2Cinstance%3D~%22host-1.%2A%7Chost-2.%2A%22%2Cjob%3D%22api%22%7D%5B5m%5D%29%29%20%2B%20sum%28rate%28gen_requests_total%7Bcode%3D%22200%22%7D%5B5m%5D%29%29%29', 'format_query?query=topk%283%2C%20sum%20without%20%28code%29%20%28rate%28gen_requests_total%7Bcode%3D%22500%22%2Cinstance%3D~%22host-1.%2A%7Chost-2.%2A%7Chost-3.%2A%22%2Cjob%3D%22api%22%7D%5B5m%5D%29%29%29', 'format_query?query=label_replace%28sum%20by%20%28instance%29%20%28rate%28gen_requests_total%7Bcode%3D%22500%22%2Cjob%3D%22api%22%7D%5B5m%5D%29%29%2C%20%22host%22%2C%20%22%241%22%2C%20%22instance%22%2C%20%22%28.%2A%29%3A.%2A%22%29', 'format_query?query=%28rate%28gen_requests_total%7Bcode%3D%22500%22%2Cinstance%3D~%22host-1.%2A%7Chost-2.%2A%22%2Cjob%3D%22api%22%7D%5B5m%5D%29%20%2A%20100%29%5B10m%3A1m%5D%20%40%201700000000',
  'query?query=time()&time=Inf', 'query?query=time()&time=NaN', 'query?query=time()&time=0x1p-2', 'query?query=time()&time=-1.5',
  `query?query=time()&time=${iso(START)}&time=5`, 'series?match[]=sum', 'series?match[]=offset', 'series?match[]=gen_flaky_up{}',
  'series?match[]=%20gen_flaky_up%20', 'series?match[]=gen_flaky_up{job="flaky",}', "series?match[]={__name__='gen_flaky_up'}",
  'series?match[]=gen_flaky_up%23c', 'series?match[]=', 'labels?match[]=', 'series?match[]=a{b="c"}{d="e"}', 'series?match[]=gen_flaky_up}',
  'series?match[]=gen:flaky', 'series?match[]={job=~"fl.*"}[5m]', 'series?match[]=-1', 'series?match[]={job="flaky"',
  'series?match[]=SUM{job="x"}', 'series?match[]=by{}', 'series?match[]=atan2', 'series?match[]=bool', 'series?match[]=sum%20{a="b"}', `series?match[]=gen_flaky_up&match[]=gen_flaky_up&end=${START + 60}`,
];

/**
 * Requests where only status and errorType are compared, with the reason:
 * - timeout=0: 2.42 itself answers "query timed out in query queue" or "… in query execution"
 *   depending on a race in its active-query tracker;
 * - invalid regexes: the message comes from the regex engine (Go's RE2 vs ours, parser/re2-matcher).
 */
const TYPE_ONLY = new Set(['query?query=up&timeout=0', 'query?query=foo{a=~"("}', 'series?match[]={a=~"("}']);

t.test('our API answers byte-for-byte like prometheus 2.42', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'promql-api-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  writeOpenMetrics(join(dir, 'data.om'), GEN);
  await createBlocksFromOpenMetrics(join(dir, 'data.om'), join(dir, 'data'));
  const prom = await startPrometheus(join(dir, 'data'));
  t.teardown(() => prom.stop());

  const st = await loadBlocks(join(dir, 'data'));
  const server = new HttpServer({ address: { host: '127.0.0.1', port: 0 }, registry: createRegistry({ defaultMetrics: false }) });
  const promInfo = await (await fetch(`${prom.url}/api/v1/status/buildinfo`)).json() as { data: Record<string, string> };
  const info = promInfo.data;
  mountPrometheusApi(server, {
    engine: engineOver(new Engine({ maxPointsPerSeries: 11_001 }), st), metadata: st, streamPoints: 20, // big answers take the streamed path
    buildInfo: { version: info['version']!, revision: info['revision']!, branch: info['branch']!, buildUser: info['buildUser']!, buildDate: info['buildDate']!, goVersion: info['goVersion']! },
  });
  const addr = await server.listen();
  t.teardown(() => server.close());
  const ours = `http://127.0.0.1:${addr.port}`;

  const call = async (base: string, path: string, post: boolean) => {
    const [p, q = ''] = path.split(/\?(.*)/s);
    const r = post
      ? await fetch(`${base}/api/v1/${p}`, { method: 'POST', body: q, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      : await fetch(`${base}/api/v1/${path}`);
    return `${r.status} ${r.headers.get('content-type')} ${r.headers.get('content-encoding')} ${await r.text()}`;
  };
  for (const path of [...REQUESTS, 'status/buildinfo']) {
    const strip = (x: string) => TYPE_ONLY.has(path) ? x.replace(/"(error|data)":".*"}$/, '') : x;
    const a = await call(prom.url, path, false);
    const b = await call(ours, path, false);
    t.equal(strip(b), strip(a), `GET ${path}`);
    const postable = !/^(label\/|metadata|status)/.test(path) && !path.includes(';');
    if (postable) t.equal(strip(await call(ours, path, true)), strip(await call(prom.url, path, true)), `POST ${path}`);
  }

  // body values before query values (Go's ParseForm), repeated match[] merged from both
  const mixed = async (base: string, path: string, query: string, body: string) => {
    const r = await fetch(`${base}/api/v1/${path}?${query}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    return `${r.status} ${await r.text()}`;
  };
  for (const [path, query, body] of [
    ['query', 'query=time()&time=1', `time=${START}`], ['series', 'match[]=gen_flaky_up', 'match[]={code="500"}'],
    ['labels', 'match[]=gen_flaky_up&start=1', `match[]=gen_special_values&start=${START}`],
  ] as const) t.equal(await mixed(ours, path, query, body), await mixed(prom.url, path, query, body), `POST ${path}?${query} + ${body}`);

  const promtool = async (base: string, args: string[]) => {
    const r = await runPromtool(['query', ...args.map((a) => a === '@' ? base : a)], true);
    return `${r.code}\n${r.stdout}\n${r.stderr}`;
  };
  const cmds: string[][] = [
    ['instant', `--time=${START + 1800}`, '@', 'gen_requests_total'],
    ['instant', `--time=${START + 1800}`, '@', 'sum by (code) (rate(gen_requests_total[5m]))'],
    ['instant', `--time=${START + 1800}`, '-o', 'json', '@', 'gen_special_values'],
    ['instant', `--time=${START + 1800}`, '@', 'scalar(sum(gen_flaky_up))'],
    ['instant', `--time=${START + 1800}`, '@', 'gen_requests_total[45s]'],
    ['instant', `--time=${START + 1800}`, '@', 'sum('],
    ['range', `--start=${START}`, `--end=${START + 900}`, '--step=1m', '@', 'rate(gen_requests_total{code="500"}[5m])'],
    ['range', `--start=${iso(START)}`, `--end=${iso(START + 600)}`, '--step=30s', '-o', 'json', '@', 'gen_special_values'],
    ['series', '--match=gen_flaky_up', '--match={code="500"}', '@'],
    ['series', '--match=gen_temperature_celsius', `--start=${START}`, `--end=${END}`, '@'],
    ['labels', '@', '__name__'],
    ['labels', '@', 'instance'],
    ['labels', `--match=gen_flaky_up`, '@', 'job'],
  ];
  for (const c of cmds) t.equal(await promtool(ours, c), await promtool(prom.url, c), `promtool query ${c.join(' ')}`);
});
