// Querier over 2 StoreAPIs (store gateways served over a real nats-server) vs the engine over the
// same blocks locally, same queries, same run. Issue target: ratio ≤ 1.3×.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreQueryable, type StoreEndpoint } from '../../actors/querier/store-queryable.js';
import { parseTimeFlag } from '../../actors/shared/block/time-flag.js';
import { uploadBlock } from '../../actors/shared/block/upload.js';
import { FilesystemBucket } from '../../actors/shared/objstore/filesystem.js';
import { Engine, type QueryResult } from '../../actors/shared/promql/engine/index.js';
import { BlockQueryable } from '../../actors/shared/promql/storage/block-queryable.js';
import { StoreClient } from '../../actors/shared/storeapi/client/store-client.js';
import { serveStoreAPI } from '../../actors/shared/storeapi/server/serve.js';
import { BucketStore } from '../../actors/store/bucket-store.js';
import { NatsTransport } from '../../runtime/transport/nats-transport.js';
import { Subjects } from '../../runtime/transport/subject.js';
import { startNats } from '../harness/nats.js';
import { openMetricsText } from '../harness/openmetrics-gen.js';
import { createBlocksFromOpenMetrics } from '../harness/promtool.js';

const START = 1699999200, H = 3600, HOURS = 8, ROUNDS = 11;
const QUERIES = [
  'rate(gen_requests_total[5m])',
  'sum by (code) (rate(gen_requests_total[5m]))',
  'histogram_quantile(0.9, sum by (le) (rate(gen_request_duration_seconds_bucket[5m])))',
  'gen_temperature_celsius * on (instance) group_left max by (instance) (gen_requests_total)',
];

const dir = await mkdtemp(join(tmpdir(), 'bench-querier-'));
await writeFile(join(dir, 'in.om'), openMetricsText({ hours: HOURS, series: 60, startSec: START }));
const ids = await createBlocksFromOpenMetrics(join(dir, 'in.om'), join(dir, 'blocks'));
const bucket = new FilesystemBucket({ directory: join(dir, 'bucket') });
for (const id of ids) await uploadBlock(bucket, join(dir, 'blocks', id), { labels: { cluster: 'bench' } });
await cp(join(dir, 'blocks'), join(dir, 'local'), { recursive: true });

// Peer: the engine over the same blocks locally (external label dropped from comparison by using the same queries).
const local = await BlockQueryable.open(join(dir, 'local'));

// athanor: two time-partitioned store gateways over the bucket, served over NATS, a querier client.
const nats = await startNats();
const [ts, tq] = await Promise.all([NatsTransport.connect({ servers: [nats.url] }), NatsTransport.connect({ servers: [nats.url] })]);
const subjects = new Subjects('bench');
const host = { announce: async () => ({ update: () => undefined, withdraw: async () => undefined }) };
const mid = new Date((START + (HOURS / 2) * H) * 1000).toISOString();
const stores = [
  new BucketStore({ bucket, maxTime: parseTimeFlag(mid, 'max-time') }),
  new BucketStore({ bucket, minTime: parseTimeFlag(mid, 'min-time') }),
];
const endpoints: StoreEndpoint[] = [];
const servers = [];
for (const [i, s] of stores.entries()) {
  await s.sync();
  const server = await serveStoreAPI({ transport: ts, subjects, host, component: 'store', id: `s${i}`, impl: s });
  servers.push(server);
  endpoints.push({ name: `s${i}`, info: await s.info(), client: new StoreClient({ transport: tq, subjects: server.subjects }) });
}

const engine = new Engine();
const start = (START + H) * 1000, end = (START + (HOURS - 1) * H) * 1000, step = 30_000;
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now(); await fn(); return performance.now() - t0;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Series, points and warnings of a result: both sides must agree (and be non-empty), or the timings mean nothing. */
function shape(r: QueryResult, extra: readonly string[] = []): string {
  if (r.value.type !== 'matrix') return r.value.type;
  return `${r.value.series.length} series, ${r.value.series.reduce((n, s) => n + s.ts.length, 0)} points, warnings ${JSON.stringify([...r.warnings, ...extra])}`;
}
for (const q of QUERIES) {
  const a = shape(await engine.rangeQuery(local, q, start, end, step));
  const sq = new StoreQueryable({ stores: () => endpoints, dedup: false });
  const b = shape(await engine.rangeQuery(sq, q, start, end, step), sq.warnings);
  if (a !== b || !/^[1-9]/.test(a)) throw new Error(`bench: ${q}: local gives ${a}, through the stores ${b}`);
}
/** CPU time of this process (stores, querier and engine all run here), ms. */
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
// Rounds go over all queries in turn (not one query at a time), so warm-up and GC land evenly.
const runs = QUERIES.map(() => ({ ours: [] as number[], peer: [] as number[], oursCpu: 0, peerCpu: 0 }));
for (let r = 0; r < ROUNDS; r++) {
  for (const [i, q] of QUERIES.entries()) {
    const m = runs[i]!;
    let c0 = cpu();
    m.peer.push(await time(() => engine.rangeQuery(local, q, start, end, step)));
    m.peerCpu += cpu() - c0;
    c0 = cpu();
    m.ours.push(await time(() => engine.rangeQuery(new StoreQueryable({ stores: () => endpoints, dedup: false }), q, start, end, step)));
    m.oursCpu += cpu() - c0;
  }
}
const rows = QUERIES.map((q, i) => {
  const m = runs[i]!;
  return `| \`${q}\` | ${median(m.ours).toFixed(1)} | ${median(m.peer).toFixed(1)} | ${(median(m.ours) / median(m.peer)).toFixed(2)}× | ${(m.oursCpu / m.peerCpu).toFixed(2)}× |`;
});

for (const s of servers) await s.close();
for (const s of stores) await s.close();
await Promise.all([ts.drain(), tq.drain()]);
await nats.stop();
await local.close();
await rm(dir, { recursive: true, force: true });

process.stdout.write(`## Querier over NATS vs the engine over local blocks

${ids.length} promtool blocks (${HOURS} h at 15 s, generated counters, gauges and a classic histogram) uploaded to a FILESYSTEM
bucket; two store gateways split the time range and serve their StoreAPI over one real nats-server; the querier
(StoreQueryable: fan-out, merge, chunk decode) runs the engine over them. Peer: the same engine over the same blocks read
locally from disk (BlockQueryable, not preloaded; the stores read the bucket's files too). Both sides run on one event
loop, so the ratio is the whole extra work of the distributed path (store gateways, StoreAPI over NATS, merge); the CPU
column is the same ratio in CPU time. Both sides' answers are checked equal before timing. Range queries over ${HOURS - 2} h at
30 s steps, median of ${ROUNDS} rounds, ms. Target: ≤ 1.3×.

| query | querier over 2 stores via NATS (ms) | engine over local blocks (ms) | ratio | CPU ratio |
| --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`);
