import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect } from 'nats';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createBlocksFromOpenMetrics, parseDump, promtoolDump } from '../harness/promtool.js';
import { openMetricsText } from '../harness/openmetrics-gen.js';

const run = promisify(execFile);
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNats } from '../harness/nats.js';
import { startAthanor, type AthanorProcess } from '../harness/athanor.js';

const bin = fileURLToPath(new URL('../../bin/athanor.js', import.meta.url));

type Running = AthanorProcess;

/** Starts `athanor up` on a free port with a private data dir. */
async function startUp(args: string[]): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'athanor-up-'));
  const up = await startAthanor(['up'], [`--data-dir=${dataDir}`, ...args]);
  up.proc.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  return up;
}

async function waitReady(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${base}/-/ready`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('not ready');
}

t.test('athanor up on embedded defaults serves health, readiness, metrics and discovery; SIGTERM exits 0', async (t) => {
  const up = await startUp([]);
  t.teardown(() => { up.proc.kill('SIGKILL'); });
  t.equal((await fetch(`${up.base}/-/healthy`)).status, 200);
  await waitReady(up.base);
  const metrics = await (await fetch(`${up.base}/metrics`)).text();
  t.match(metrics, /athanor_discovery_peers\{component="store"\} 1/);
  t.match(metrics, /athanor_http_requests_total/);
  const peers = await (await fetch(`${up.base}/api/v1/discovery/peers`)).json() as { data: Array<{ component: string }> };
  t.same(peers.data.map((p) => p.component), ['query', 'store'], 'a store gateway and a querier');
  const stores = await (await fetch(`${up.base}/api/v1/stores`)).json() as { data: { store: unknown[] } };
  t.equal(stores.data.store.length, 1, 'the querier sees the store');
  t.equal((await fetch(`${up.base}/api/v1/query?query=vector(1)`)).status, 200);
  t.equal((await fetch(`${up.base}/nope`)).status, 404);
  up.proc.kill('SIGTERM');
  t.equal(await up.exited, 0);
  t.match(up.stderr(), /msg=stopped/);
});

t.test('two athanor up processes on one nats-server see each other and register as micro-services', async (t) => {
  const nats = await startNats();
  const a = await startUp([`--nats.url=${nats.url}`]);
  const b = await startUp([`--nats.url=${nats.url}`]);
  t.teardown(async () => { a.proc.kill('SIGKILL'); b.proc.kill('SIGKILL'); await nats.stop(); });
  await Promise.all([waitReady(a.base), waitReady(b.base)]);
  let ids: string[] = [];
  for (let i = 0; i < 200 && ids.length < 4; i++) {
    const peers = await (await fetch(`${a.base}/api/v1/discovery/peers`)).json() as { data: Array<{ id: string }> };
    ids = peers.data.map((p) => p.id);
    if (ids.length < 4) await new Promise((r) => setTimeout(r, 25));
  }
  t.equal(ids.length, 4, 'a sees its own and b\'s store and querier');
  const nc = await connect({ servers: nats.url });
  const pings = [];
  for await (const p of await nc.services.client().ping('athanor-store')) pings.push(p);
  await nc.close();
  t.equal(pings.length, 2, 'both store gateways answer $SRV.PING');
  b.proc.kill('SIGTERM');
  t.equal(await b.exited, 0);
  // b said goodbye on the way out: a drops it without waiting for a TTL.
  let left = false;
  for (let i = 0; i < 200 && !left; i++) {
    const peers = await (await fetch(`${a.base}/api/v1/discovery/peers`)).json() as { data: unknown[] };
    left = peers.data.length === 2;
    if (!left) await new Promise((r) => setTimeout(r, 25));
  }
  t.ok(left, 'b left after its goodbye');
  a.proc.kill('SIGTERM');
  t.equal(await a.exited, 0);
});

t.test('a bad flag value exits 2 and names the flag', async (t) => {
  const proc = spawn(process.execPath, [bin, 'up', '--log.level=loud'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const code = await new Promise<number | null>((r) => proc.once('exit', r));
  t.equal(code, 2);
  t.match(err, /--log.level/);
});

t.test('npm start path: blocks uploaded into the embedded bucket are queryable through athanor up', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'athanor-up-data-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  writeFileSync(join(work, 'in.om'), openMetricsText({ hours: 4, series: 3 }));
  await createBlocksFromOpenMetrics(join(work, 'in.om'), join(work, 'prom'));
  const dataDir = join(work, 'data');
  const bucketCfg = `--objstore.config=type: FILESYSTEM\nconfig:\n  directory: ${join(dataDir, 'bucket')}`;
  await run(process.execPath, [bin, 'tools', 'bucket', 'upload-blocks', `--path=${join(work, 'prom')}`, '--label=cluster=eu', bucketCfg]);
  const up = await startAthanor(['up'], [`--data-dir=${dataDir}`], { teardown: (fn) => t.teardown(fn) });
  const base = up.base;
  await waitReady(base);
  const expected = parseDump(await promtoolDump(join(work, 'prom')));
  const names = new Set(expected.map((s) => /^\{__name__="([^"]+)"/.exec(s.labels)![1]!));
  const body = await (await fetch(`${base}/api/v1/series?match[]=${encodeURIComponent('{__name__=~".+"}')}`)).json() as { data: Array<Record<string, string>> };
  t.same(new Set(body.data.map((s) => s.__name__)), names, 'every metric name of the blocks');
  t.ok(body.data.every((s) => s.cluster === 'eu'), 'external label attached');
  const gauge = expected.filter((s) => s.labels.startsWith('{__name__="gen_temperature_celsius"'));
  t.ok(gauge.length > 0, 'the data has the gauge');
  const last = Math.max(...gauge.map((s) => s.t));
  const q = await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent('count(gen_temperature_celsius)')}&time=${last / 1000}`)).json() as { data: { result: Array<{ value: [number, string] }> } };
  t.equal(Number(q.data.result[0]?.value[1]), new Set(gauge.map((s) => s.labels)).size, 'count() over the store equals the series in the blocks');
  up.proc.kill('SIGTERM');
});
