// Querier over 2 StoreAPIs (store gateways served over a real nats-server) vs the engine over the
// same blocks locally, same queries, same run. Issue target: ratio ≤ 1.3×.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
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
import { storeSubjects } from '../../actors/shared/storeapi/server/wire.js';
import { BucketStore } from '../../actors/store/bucket-store.js';
import { NatsTransport } from '../../runtime/transport/nats-transport.js';
import { Subjects } from '../../runtime/transport/subject.js';
import { startNats } from '../harness/nats.js';
import { writeOpenMetrics } from '../harness/openmetrics-gen.js';
import { createBlocksFromOpenMetrics } from '../harness/promtool.js';

const START = 1699999200, H = 3600, HOURS = 8, ROUNDS = 21;
const QUERIES = [
  'rate(gen_requests_total[5m])',
  'sum by (code) (rate(gen_requests_total[5m]))',
  'histogram_quantile(0.9, sum by (le) (rate(gen_request_duration_seconds_bucket[5m])))',
  'gen_temperature_celsius * on (instance) group_left max by (instance) (gen_requests_total)',
];

/** Runs every query on both sides over `series` generated series; the table rows and the block count. */
async function measure(series: number): Promise<{
  rows: string[]; cpuRows: string[]; schedRows: string[]; totals: Record<'peer' | 'querier' | 'stores' | 'nats', number>; blocks: number; series: number;
  /** Median Info round trip to a store process, back to back and after 5 ms idle, ms. */
  rttHot: number; rttIdle: number;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-querier-'));
  const gen = writeOpenMetrics(join(dir, 'in.om'), { hours: HOURS, series, startSec: START });
  const ids = await createBlocksFromOpenMetrics(join(dir, 'in.om'), join(dir, 'blocks'));
  const bucket = new FilesystemBucket({ directory: join(dir, 'bucket') });
  for (const id of ids) await uploadBlock(bucket, join(dir, 'blocks', id), { labels: { cluster: 'bench' } });
  await cp(join(dir, 'blocks'), join(dir, 'local'), { recursive: true });

  // Peer: the engine over the same blocks locally (external label dropped from comparison by using the same queries).
  const local = await BlockQueryable.open(join(dir, 'local'));

  // athanor: two time-partitioned store gateways over the bucket, served over NATS, a querier client —
  // once with the stores in their own process (as deployed: the querier's work and the stores' overlap
  // on this 2-core machine), once with everything on this process's one event loop (all the extra
  // work of the distributed path in series).
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
  // Each store gateway in its own process, as deployed. The querier decodes inline
  // (--query.decode-workers=0): on this 2-core machine the stores, nats-server and the querier
  // already share both cores, and a decode pool competing with them measured slower (the pool's own
  // gain is in dedup.bench.ts).
  const apartSubjects = new Subjects('apart');
  const ta = await NatsTransport.connect({ servers: [nats.url], prefix: 'apart' });
  const children = ['0', '1'].map((which) => spawn(process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./support/store-pair.ts', import.meta.url)), join(dir, 'bucket'), nats.url, 'apart', mid, which],
    { stdio: ['ignore', 'pipe', 'inherit'] }));
  process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });
  await Promise.all(children.map((child) => new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('READY')) resolve(); });
    child.once('exit', (code) => reject(new Error(`bench: store process exited ${code}`)));
  })));
  const apart: StoreEndpoint[] = await Promise.all([0, 1].map(async (i) => {
    const client = new StoreClient({ transport: ta, subjects: storeSubjects(apartSubjects, 'store', `s${i}`) });
    return { name: `apart-s${i}`, info: await client.info(), client };
  }));
  // The fixed cost of one hop on this machine: an Info round trip to a store process back to back,
  // and after the processes sat idle for 5 ms (as the stores do while the querier evaluates).
  const rtt = { hot: [] as number[], idle: [] as number[] };
  for (let i = 0; i < 61; i++) {
    let t0 = performance.now(); await apart[0]!.client.info(); rtt.hot.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 5));
    t0 = performance.now(); await apart[0]!.client.info(); rtt.idle.push(performance.now() - t0);
  }
  /** CPU time of a process so far (utime + stime from /proc), ms. */
  async function procCpu(pid: number): Promise<number> {
    const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  }
  /** CPU time of the store processes so far, ms. */
  const storesCpu = async () => (await procCpu(children[0]!.pid!)) + (await procCpu(children[1]!.pid!));

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
    for (const eps of [endpoints, apart]) {
      const sq = new StoreQueryable({ stores: () => eps, dedup: false });
      const b = shape(await engine.rangeQuery(sq, q, start, end, step), sq.warnings);
      if (a !== b || !/^[1-9]/.test(a)) throw new Error(`bench: ${q}: local gives ${a}, through the stores ${b}`);
    }
  }
  /** CPU time of this process, ms. */
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  // Rounds go over all queries in turn (not one query at a time), so warm-up and GC land evenly.
  const runs = QUERIES.map(() => ({
    apart: [] as number[], loop: [] as number[], peer: [] as number[], loopCpu: 0, peerCpu: 0,
    apartQuerierCpu: 0, apartStoresCpu: 0, apartNatsCpu: 0,
    peerSched: { cpu: 0, wait: 0 }, apartSched: { cpu: 0, wait: 0 },
  }));
  /** This process's main thread: [on-CPU ns, waiting-for-a-CPU ns] so far (/proc schedstat). */
  const mainThreadSched = (): [number, number] => {
    const [run, wait] = readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return [run!, wait!];
  };
  const addSched = (acc: { cpu: number; wait: number }, from: [number, number]) => {
    const [run, wait] = mainThreadSched();
    acc.cpu += (run - from[0]) / 1e6; acc.wait += (wait - from[1]) / 1e6;
  };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, q] of QUERIES.entries()) {
      const m = runs[i]!;
      let c0 = cpu();
      let sch = mainThreadSched();
      m.peer.push(await time(() => engine.rangeQuery(local, q, start, end, step)));
      m.peerCpu += cpu() - c0;
      addSched(m.peerSched, sch);
      c0 = cpu();
      const n0 = await procCpu(nats.pid);
      m.loop.push(await time(() => engine.rangeQuery(new StoreQueryable({ stores: () => endpoints, dedup: false }), q, start, end, step)));
      m.loopCpu += cpu() - c0 + (await procCpu(nats.pid)) - n0;
      const [s0, na0] = [await storesCpu(), await procCpu(nats.pid)];
      c0 = cpu();
      sch = mainThreadSched();
      m.apart.push(await time(() => engine.rangeQuery(new StoreQueryable({ stores: () => apart, dedup: false }), q, start, end, step)));
      m.apartQuerierCpu += cpu() - c0;
      addSched(m.apartSched, sch);
      m.apartStoresCpu += (await storesCpu()) - s0;
      m.apartNatsCpu += (await procCpu(nats.pid)) - na0;
    }
  }
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const rows = QUERIES.map((q, i) => {
    const m = runs[i]!;
    const peer = median(m.peer);
    const apartCpu = m.apartQuerierCpu + m.apartStoresCpu + m.apartNatsCpu;
    // Latency ratios: the median of per-round ratios (each round times both sides back to back, so
    // drift in the machine's speed between rounds cancels out).
    const ratio = (xs: number[]) => `${median(xs.map((v, k) => v / m.peer[k]!)).toFixed(2)}×`;
    return `| \`${q}\` | ${peer.toFixed(1)} | ${median(m.apart).toFixed(1)} | ${ratio(m.apart)} | ${x(apartCpu, m.peerCpu)} | ${median(m.loop).toFixed(1)} | ${ratio(m.loop)} | ${x(m.loopCpu, m.peerCpu)} |`;
  });
  const per = (v: number) => (v / ROUNDS).toFixed(1);
  const sum = (f: (m: (typeof runs)[number]) => number) => runs.reduce((n, m) => n + f(m), 0);
  const totals = {
    peer: sum((m) => m.peerCpu), querier: sum((m) => m.apartQuerierCpu), stores: sum((m) => m.apartStoresCpu), nats: sum((m) => m.apartNatsCpu),
  };
  // The querier's event loop during a query: running, runnable but waiting for a core, or idle
  // (waiting for data); means over the rounds, ms, local engine vs stores apart.
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const schedRows = QUERIES.map((q, i) => {
    const m = runs[i]!;
    const row = (wall: number[], sc: { cpu: number; wait: number }) => {
      const w = mean(wall), c = sc.cpu / ROUNDS, wt = sc.wait / ROUNDS;
      return `${w.toFixed(1)} | ${c.toFixed(1)} | ${wt.toFixed(1)} | ${Math.max(0, w - c - wt).toFixed(1)}`;
    };
    return `| \`${q}\` | ${row(m.peer, m.peerSched)} | ${row(m.apart, m.apartSched)} |`;
  });
  const cpuRows = QUERIES.map((q, i) => {
    const m = runs[i]!;
    return `| \`${q}\` | ${per(m.peerCpu)} | ${per(m.apartQuerierCpu)} | ${per(m.apartStoresCpu)} | ${per(m.apartNatsCpu)} | ${per(m.apartQuerierCpu + m.apartStoresCpu + m.apartNatsCpu)} |`;
  });

  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => new Promise((r) => child.once('exit', r))));
  await ta.drain();
  for (const s of servers) await s.close();
  for (const s of stores) await s.close();
  await Promise.all([ts.drain(), tq.drain()]);
  await nats.stop();
  await local.close();
  await rm(dir, { recursive: true, force: true });
  return { rows, cpuRows, schedRows, totals, blocks: ids.length, series: gen.series, rttHot: median(rtt.hot), rttIdle: median(rtt.idle) };
}

const small = await measure(60);
const large = await measure(240);
const table = (r: string[]) => `| query | local engine (ms) | stores apart (ms) | ratio | CPU ratio | one event loop (ms) | ratio | CPU ratio |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${r.join('\n')}`;

process.stdout.write(`## Querier over NATS vs the engine over local blocks

${small.blocks} promtool blocks (${HOURS} h at 15 s of generated series: counters, gauges and a classic histogram) uploaded to a
FILESYSTEM bucket; two store gateways (BucketStore) split the time range and serve their StoreAPI over one real
nats-server; the querier side (StoreQueryable: fan-out, k-way merge, chunk decode) runs the engine over them. Peer: the
same engine over the same blocks read locally from disk (BlockQueryable, not preloaded). Both sides' answers are checked
equal before timing. Range queries over ${HOURS - 2} h at 30 s steps, median of ${ROUNDS} interleaved rounds, ms; each ratio is the
median of the per-round ratios (both sides timed back to back in every round). Run-to-run spread on this 2-core VM is
still about ±20 % per cell: compare rows within one run.

- **stores apart** — as deployed: each store gateway in its own process, the querier in the bench process (decoding
  inline: with the stores and nats-server on the same two cores, a decode pool only competes with them): the latency
  a user sees. Target: ≤ 1.3×. Its CPU ratio counts every process (querier, stores and nats-server, from /proc)
  against the peer's CPU: the total work the distributed path costs.
- **one event loop** — stores, NATS client and querier (decoding inline) all on the bench process's one thread: every
  extra step in series, the worst case for latency (its CPU ratio counts this process and nats-server).

**${small.series} series** (a query's fixed costs — fan-out, two stores, stream set-up — weigh most). One request
round trip to a store process (Info, through nats-server) takes ${small.rttHot.toFixed(2)} ms back to back but
${small.rttIdle.toFixed(2)} ms once the processes sat idle for 5 ms, as the stores do between a query's fetches: on this VM
waking idle processes costs more than the hops themselves, and a query pays it on the request and on the answer.

${table(small.rows)}

**${large.series} series** (per-series work dominates, as in most real queries):

${table(large.rows)}

Where the CPU of a **stores apart** query goes (${large.series} series, ms of CPU per query, mean of ${ROUNDS} rounds, from /proc):

| query | local engine | querier | 2 store gateways | nats-server | stores apart, total |
| --- | ---: | ---: | ---: | ---: | ---: |
${large.cpuRows.join('\n')}

Over these queries the querier process alone uses ${(large.totals.querier / large.totals.peer).toFixed(2)}× the local engine's CPU; the store
gateways and nats-server add ${((large.totals.stores + large.totals.nats) / large.totals.peer).toFixed(2)}× more (reading and packing the chunks, and carrying every
chunk byte through two loopback hops). On this 2-core machine all of them share the querier's two cores, so
that extra work shows up as latency; with the stores on their own machines, as deployed, only the querier's share would.

What the querier's event loop (its main thread, from /proc schedstat) does during a query (${large.series} series, mean ms per
query): on a core, runnable but waiting for one (the stores and nats-server hold both), or idle waiting for data.

| query | local: wall | on CPU | waiting for a core | idle | stores apart: wall | on CPU | waiting for a core | idle |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${large.schedRows.join('\n')}
`);
