// End to end: a real nats-server, StoreAPIs (MemoryStores served over NATS from this test process,
// announced through discovery) and real `athanor query` processes; the HTTP API is checked against
// the same engine over the same stores in-process. Also a 2-level query-of-queriers (--endpoint), and
// `athanor store` over a FILESYSTEM bucket holding two replicas' blocks behind `athanor query`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostname } from 'node:os';
import t from 'tap';
import { StoreQueryable, type StoreEndpoint } from '../../actors/querier/store-queryable.js';
import { labelsFromObject } from '../../actors/shared/labels/labels.js';
import { queryDataJson } from '../../actors/shared/promql/api/result-json.js';
import { Engine } from '../../actors/shared/promql/engine/engine.js';
import { MemoryStore } from '../../actors/shared/storeapi/memory-store.js';
import type { SeriesFrame } from '../../actors/shared/storeapi/protocol.js';
import { serveStoreAPI } from '../../actors/shared/storeapi/server/serve.js';
import { silentLogger } from '../../runtime/log/logger.js';
import { createRegistry } from '../../runtime/metrics/registry.js';
import { NodeHost } from '../../runtime/node/host.js';
import { NatsTransport } from '../../runtime/transport/nats-transport.js';
import { Subjects } from '../../runtime/transport/subject.js';
import { startNats } from '../harness/nats.js';
import { FilesystemBucket } from '../../actors/shared/objstore/filesystem.js';
import { putBlockDir, writeChunkBlock } from '../actors/store/block-fixtures.js';
import { makeSeries } from '../actors/store/data.js';
import { waitFor } from '../harness/ports.js';
import { startAthanor as startProcess, type AthanorProcess } from '../harness/athanor.js';

const T0 = 1_700_000_000_000, H = 3600_000;

function series(off: number, gap: [number, number]) {
  const pts = (step: number, f: (t: number) => number): [number, number][] => {
    const out: [number, number][] = [];
    for (let t = T0; t <= T0 + H; t += step) if (t < gap[0] || t > gap[1]) out.push([t, f(t)]);
    return out;
  };
  return [
    { labels: labelsFromObject({ __name__: 'up', job: 'api' }), samples: pts(15_000, (t) => (t - T0) / 1000 + off) },
    { labels: labelsFromObject({ __name__: 'up', job: 'db' }), samples: pts(30_000, (t) => ((t - T0) / 1000) % 91) },
  ];
}

type Proc = AthanorProcess;

async function startAthanor(t: { teardown(fn: () => void): void }, args: string[], command = 'query'): Promise<Proc> {
  return startProcess([command], args, { teardown: (fn) => t.teardown(fn), ready: true });
}

async function api(base: string, path: string, params: Record<string, string | string[]>): Promise<{ status: string; data?: unknown; warnings?: string[]; error?: string }> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, x);
  return (await fetch(`${base}${path}?${q}`)).json() as never;
}

t.test('athanor query over NATS: discovery, dedup, metadata, partial response, stores, web page; 2-level = 1-level', async (t) => {
  const nats = await startNats();
  t.teardown(() => nats.stop());
  const leaf = new Subjects('region');
  const transport = await NatsTransport.connect({ servers: [nats.url], name: 'e2e-stores', prefix: 'region' });
  t.teardown(() => transport.close());
  const host = new NodeHost({ transport, subjects: leaf, metrics: createRegistry({ defaultMetrics: false }), log: silentLogger(), node: 'e2e', version: '0.0.0-test', announceIntervalMs: 60_000 });

  // The regional querier first, so it hears the stores' announcements.
  const q1 = await startAthanor(t, [`--nats.url=${nats.url}`, '--nats.prefix=region', '--query.replica-label=replica', '--store.response-timeout=1500ms']);
  const a = new MemoryStore({ series: series(100, [T0 + 600_000, T0 + 1_200_000]), externalLabels: labelsFromObject({ region: 'eu', replica: 'a' }), componentType: 'sidecar' });
  const b = new MemoryStore({ series: series(100, [T0 + 2_000_000, T0 + 2_400_000]), externalLabels: labelsFromObject({ region: 'eu', replica: 'b' }), componentType: 'sidecar' });
  const servers = [
    await serveStoreAPI({ transport, subjects: leaf, host, component: 'sidecar', id: 'eu-a', impl: a }),
    await serveStoreAPI({ transport, subjects: leaf, host, component: 'sidecar', id: 'eu-b', impl: b }),
  ];
  t.teardown(async () => { for (const s of servers) await s.close(); });
  await waitFor('both stores listed', async () => {
    const r = await api(q1.base, '/api/v1/stores', {});
    return ((r.data as Record<string, unknown[]>)['sidecar'] ?? []).length === 2;
  }, 15_000);
  const stores = (await api(q1.base, '/api/v1/stores', {})).data as Record<string, { name: string; labelSets: unknown[]; minTime: number; maxTime: number; lastError: unknown; lastCheck: string }[]>;
  t.same(stores['sidecar']!.map((s) => s.name).sort(), ['sidecar/eu-a', 'sidecar/eu-b']);
  t.same(stores['sidecar']![0]!.labelSets, [{ region: 'eu', replica: 'a' }]);
  t.equal(stores['sidecar']![0]!.minTime, T0);
  t.equal(stores['sidecar']![0]!.lastError, null);
  t.match(stores['sidecar']![0]!.lastCheck, /^\d{4}-\d\d-\d\dT/);

  // The same queries in-process over the same stores give the reference answers.
  const eps: StoreEndpoint[] = [{ name: 'a', client: a, info: await a.info() }, { name: 'b', client: b, info: await b.info() }];
  const engine = new Engine({});
  const range = { start: String((T0 + 300_000) / 1000), end: String((T0 + H) / 1000), step: '60' };
  for (const query of ['up', 'rate(up[5m])', 'sum by (job) (rate(up[2m]))', 'max_over_time(up[10m])']) {
    for (const dedup of ['true', 'false']) {
      const got = await api(q1.base, '/api/v1/query_range', { query, ...range, dedup });
      t.equal(got.status, "success", `${query} dedup=${dedup}`);
      const local = await engine.rangeQuery(new StoreQueryable({ stores: () => eps, replicaLabels: ['replica'], dedup: dedup === 'true' }), query, T0 + 300_000, T0 + H, 60_000);
      t.same(got.data, JSON.parse(queryDataJson(local.value)), `${query} dedup=${dedup}: same answer as in-process`);
    }
  }
  const nodedup = await api(q1.base, '/api/v1/query', { query: 'up', time: String((T0 + H) / 1000), dedup: 'false' });
  t.equal((nodedup.data as { result: unknown[] }).result.length, 4, 'dedup=false: both replicas of both series');
  const dd = await api(q1.base, '/api/v1/query', { query: 'up', time: String((T0 + H) / 1000) });
  t.equal((dd.data as { result: unknown[] }).result.length, 2, 'deduplicated by replica');
  const rl = await api(q1.base, '/api/v1/query', { query: 'up', time: String((T0 + H) / 1000), 'replicaLabels[]': 'region' });
  t.equal((rl.data as { result: unknown[] }).result.length, 4, 'replicaLabels[] overrides the flag');
  const sm = await api(q1.base, '/api/v1/query', { query: 'up', time: String((T0 + H) / 1000), dedup: 'false', 'storeMatch[]': '{__address__="sidecar/eu-a"}' });
  t.equal((sm.data as { result: unknown[] }).result.length, 2, 'storeMatch[] selects one store');
  t.same((await api(q1.base, '/api/v1/labels', {})).data, ['__name__', 'job', 'region'], 'labels without the replica label');
  t.same((await api(q1.base, '/api/v1/label/job/values', {})).data, ['api', 'db']);
  t.same((await api(q1.base, '/api/v1/series', { 'match[]': 'up{job="db"}' })).data, [{ __name__: 'up', job: 'db', region: 'eu' }]);
  const bad = await api(q1.base, '/api/v1/query', { query: 'up', max_source_resolution: '-5m' });
  t.equal(bad.status, 'error');
  t.match(bad.error, /max_source_resolution/);

  // A store that never answers: warning after --store.response-timeout; partial_response=false → error.
  const silent = {
    info: async () => ({ ...(await a.info()), labelSets: [labelsFromObject({ region: 'eu', replica: 'c' })] }),
    series: (_r: unknown, signal: AbortSignal) => (async function* (): AsyncGenerator<SeriesFrame> {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    })(),
    labelNames: b.labelNames.bind(b), labelValues: b.labelValues.bind(b),
  };
  const ss = await serveStoreAPI({ transport, subjects: leaf, host, component: 'sidecar', id: 'eu-silent', impl: silent });
  t.teardown(() => ss.close());
  await waitFor('silent store listed', async () => ((await api(q1.base, '/api/v1/stores', {})).data as Record<string, unknown[]>)['sidecar']!.length === 3, 15_000);
  const warn = await api(q1.base, '/api/v1/query', { query: 'up', time: String((T0 + H) / 1000) });
  t.equal(warn.status, 'success');
  t.equal((warn.data as { result: unknown[] }).result.length, 2, 'the answering stores\' data');
  // Two 1500 ms timers watch the silent store (the fan-out's per-frame timeout and the StoreClient's
  // first-frame timeout); whichever fires first words the warning. Both name the store and the limit.
  t.match(warn.warnings?.join('\n'), /failed to receive any data in 1500ms from sidecar\/eu-silent/, 'the fan-out timer decides (the client\'s is a backstop)');
  const abort = await api(q1.base, '/api/v1/query', { query: 'up', time: String((T0 + H) / 1000), partial_response: 'false' });
  t.equal(abort.status, 'error');
  t.match(abort.error, /eu-silent/);
  await ss.close();
  await waitFor('silent store gone', async () => ((await api(q1.base, '/api/v1/stores', {})).data as Record<string, unknown[]>)['sidecar']!.length === 2, 15_000);

  // 2 levels: a global querier without discovery reaches the regional querier by --endpoint.
  const id = `${hostname()}-${q1.proc.pid}`;
  const q2 = await startAthanor(t, [`--nats.url=${nats.url}`, '--nats.prefix=region', '--endpoint.discovery=false', '--query.replica-label=replica', `--endpoint=query/${id}`]);
  const gs = (await api(q2.base, '/api/v1/stores', {})).data as Record<string, { name: string; labelSets: unknown[] }[]>;
  t.same(gs['query']?.map((s) => s.name), [`query/${id}`], 'the regional querier is the global one\'s only store');
  t.same(gs['query']![0]!.labelSets, [{ region: 'eu', replica: 'a' }, { region: 'eu', replica: 'b' }], 'its Info: union of its stores\' label sets');
  for (const query of ['up', 'rate(up[5m])', 'sum by (job) (rate(up[2m]))']) {
    for (const dedup of ['true', 'false']) {
      const one = await api(q1.base, '/api/v1/query_range', { query, ...range, dedup });
      const two = await api(q2.base, '/api/v1/query_range', { query, ...range, dedup });
      t.same(two, one, `2-level = 1-level: ${query} dedup=${dedup}`);
    }
  }
  const page = await (await fetch(`${q2.base}/`)).text();
  t.match(page, /<svg id="graph"/);
  t.notMatch(page, /<script src=|<link /, 'no external assets');

  q2.proc.kill('SIGTERM');
  q1.proc.kill('SIGTERM');
  t.equal(await q2.exited, 0, 'global querier exits 0 on SIGTERM');
  t.equal(await q1.exited, 0, 'regional querier exits 0 on SIGTERM');
});

t.test('athanor store (two replicas\' blocks in a FILESYSTEM bucket) + athanor query, all real processes', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'query-e2e-'));
  const nats = await startNats();
  t.teardown(async () => { await nats.stop(); await rm(dir, { recursive: true, force: true }); });
  const bkt = new FilesystemBucket({ directory: join(dir, 'bucket') });
  const start = Date.UTC(2026, 0, 1);
  for (const replica of ['a', 'b']) {
    const meta = await writeChunkBlock(join(dir, 'local'), makeSeries('m', 3, start, 240), { labels: { cluster: 'eu', replica } });
    await putBlockDir(bkt, join(dir, 'local', meta.ulid), meta.ulid);
  }
  const q = await startAthanor(t, [`--nats.url=${nats.url}`, '--query.replica-label=replica']);
  await startAthanor(t, [`--nats.url=${nats.url}`, `--data-dir=${join(dir, 'data')}`, `--objstore.config=type: FILESYSTEM\nconfig:\n  directory: ${join(dir, 'bucket')}`,
    '--sync-block-duration=1h'], 'store');
  await waitFor('store discovered', async () => ((await api(q.base, '/api/v1/stores', {})).data as Record<string, unknown[]>)['store']?.length === 1, 20_000);
  const st = ((await api(q.base, '/api/v1/stores', {})).data as Record<string, { labelSets: unknown[]; minTime: number }[]>)['store']![0]!;
  t.same(st.labelSets, [{ cluster: 'eu', replica: 'a' }, { cluster: 'eu', replica: 'b' }]);
  t.equal(st.minTime, start);
  const time = String((start + 100 * 15_000) / 1000);
  const dd = await api(q.base, '/api/v1/query', { query: 'm', time });
  t.same((dd.data as { result: { metric: Record<string, string>; value: [number, string] }[] }).result.map((r) => [r.metric, r.value[1]]), [0, 1, 2].map((i) => [
    { __name__: 'm', cluster: 'eu', i: String(i) }, '100',
  ]), 'deduplicated: 3 series, value = sample index');
  const raw = await api(q.base, '/api/v1/query', { query: 'm', time, dedup: 'false' });
  t.equal((raw.data as { result: unknown[] }).result.length, 6, 'dedup=false: both replicas');
  const rate = await api(q.base, '/api/v1/query', { query: 'sum(rate(m[5m]))', time });
  t.equal(Number((rate.data as { result: { value: [number, string] }[] }).result[0]!.value[1]).toFixed(6), (3 / 15).toFixed(6), 'rate over deduplicated counters');
  t.same((await api(q.base, '/api/v1/label/i/values', {})).data, ['0', '1', '2']);
});
