import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { FilesystemBucket } from '../../../actors/shared/objstore/filesystem.js';
import { startNats } from '../../harness/nats.js';
import { waitFor } from '../../harness/ports.js';
import { startAthanor } from '../../harness/athanor.js';
import { startMemcached } from '../../harness/memcached.js';
import { startRedis } from '../../harness/redis.js';
import { putBlockDir, writeChunkBlock } from './block-fixtures.js';
import { makeSeries } from './data.js';
import { NatsTransport } from '../../../runtime/transport/nats-transport.js';
import { Subjects } from '../../../runtime/transport/subject.js';
import { Registry } from '../../../runtime/discovery/registry.js';
import { StoreSet } from '../../../actors/shared/storeapi/client/store-set.js';
import { seriesRequest } from '../../../actors/shared/storeapi/protocol.js';

const bin = fileURLToPath(new URL('../../../bin/athanor.js', import.meta.url));

/** A client on the NATS at `url` that finds the store through discovery alone; `close` stops it. */
async function discoverStore(url: string, self: string) {
  const tr = await NatsTransport.connect({ servers: [url], name: `store-cli-test-${self}` });
  const subjects = new Subjects('athanor');
  const registry = new Registry({ transport: tr, subjects, self });
  const stores = new StoreSet({ registry, transport: tr, subjects });
  stores.start();
  await registry.start();
  await stores.waitUntil((l) => l.some((s) => s.component === 'store'));
  const ref = stores.list().find((s) => s.component === 'store')!;
  return { ref, close: async () => { stores.stop(); await registry.stop(); await tr.drain(); } };
}

/** How many series of metric `name` the store's Series call returns. */
async function countSeries(ref: Awaited<ReturnType<typeof discoverStore>>['ref'], name: string): Promise<number> {
  let series = 0;
  for await (const f of ref.client.series(seriesRequest({ matchers: [{ type: '=', name: '__name__', value: name }] }), new AbortController().signal)) {
    if (f.kind === 'series') series++;
    else if (f.kind === 'batch') series += f.series.length;
  }
  return series;
}

t.test('athanor store: syncs the bucket, becomes ready, exports metrics, exits 0 on SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-cli-'));
  const nats = await startNats();
  t.teardown(async () => { await nats.stop(); await rm(dir, { recursive: true, force: true }); });
  const bkt = new FilesystemBucket({ directory: join(dir, 'bucket') });
  for (const k of [0, 1]) {
    const meta = await writeChunkBlock(join(dir, 'local'), makeSeries('m', 3, Date.UTC(2026, 0, 1) + k * 7200_000, 240), { labels: { cluster: 'eu' } });
    await putBlockDir(bkt, join(dir, 'local', meta.ulid), meta.ulid);
  }
  const store = await startAthanor(['store'], [`--nats.url=${nats.url}`, `--data-dir=${join(dir, 'data')}`,
    `--objstore.config=type: FILESYSTEM\nconfig:\n  directory: ${join(dir, 'bucket')}`, '--sync-block-duration=1h', '--index-cache-size=16MB'],
  { teardown: (fn) => t.teardown(fn) });
  const { proc, base, exited } = store;
  await waitFor('store ready', async () => (await fetch(`${base}/-/ready`)).status === 200, 20_000);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  t.match(metrics, /athanor_bucket_store_blocks_loaded 2/, 'both blocks loaded');
  t.match(metrics, /athanor_blocks_meta_synced\{state="loaded"\} 2/);
  t.match(metrics, /athanor_store_index_cache_max_size_bytes 16777216/, '--index-cache-size applied');
  t.match(store.stderr(), /blocks synced/);

  // A client on the same NATS finds the store through discovery alone and reads its series.
  const client = await discoverStore(nats.url, 'test-querier');
  t.same(client.ref.info.labelSets, [[{ name: 'cluster', value: 'eu' }]], 'Info carries the external labels');
  t.equal(await countSeries(client.ref, 'm'), 3, 'all series of the bucket through StoreAPI over NATS');
  await client.close();
  proc.kill('SIGTERM');
  t.equal(await exited, 0, 'exits 0 on SIGTERM');
});

t.test('athanor store: index cache in memcached and caching bucket in redis, from Thanos YAML flags', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-cli-cache-'));
  const [nats, mc, rd] = await Promise.all([startNats(), startMemcached(), startRedis()]);
  t.teardown(async () => { await nats.stop(); await mc.stop(); await rd.stop(); await rm(dir, { recursive: true, force: true }); });
  const bkt = new FilesystemBucket({ directory: join(dir, 'bucket') });
  const meta = await writeChunkBlock(join(dir, 'local'), makeSeries('m', 4, Date.UTC(2026, 0, 1), 240), { labels: { cluster: 'eu' } });
  await putBlockDir(bkt, join(dir, 'local', meta.ulid), meta.ulid);
  const store = await startAthanor(['store'], [`--nats.url=${nats.url}`, `--data-dir=${join(dir, 'data')}`,
    `--objstore.config=type: FILESYSTEM\nconfig:\n  directory: ${join(dir, 'bucket')}`, '--sync-block-duration=1h',
    `--index-cache.config=type: MEMCACHED\nconfig:\n  addresses: [${mc.address}]\nenabled_items: [Postings, Series]\n`,
    `--store.caching-bucket.config=type: redis\nconfig:\n  addr: ${rd.address}\nchunk_subrange_size: 4000\n`],
  { teardown: (fn) => t.teardown(fn) });
  await waitFor('store ready', async () => (await fetch(`${store.base}/-/ready`)).status === 200, 20_000);
  const client = await discoverStore(nats.url, 'test-querier-2');
  for (let round = 0; round < 2; round++) {
    t.equal(await countSeries(client.ref, 'm'), 4, `round ${round}: every series`);
    await new Promise((r) => setTimeout(r, 100)); // let the async cache writes land
  }
  const metrics = await (await fetch(`${store.base}/metrics`)).text();
  t.match(metrics, /athanor_memcached_operations_total\{name="index-cache",operation="getmulti"\} [1-9]/, 'index cache lookups went to memcached');
  t.match(metrics, /athanor_store_index_cache_hits_total\{item_type="Series"\} [1-9]/, 'and hit on the second round');
  t.match(metrics, /athanor_redis_operations_total\{name="caching-bucket",operation="getmulti"\} [1-9]/, 'chunk reads went through redis');
  await client.close();
  store.proc.kill('SIGTERM');
  t.equal(await store.exited, 0, 'exits 0 on SIGTERM');
});

t.test('athanor store: bad flags exit 2 with the flag named', async (t) => {
  const run = (extra: string[]) => new Promise<{ code: number | null; err: string }>((resolve) => {
    const p = spawn(process.execPath, [bin, 'store', '--nats.url=nats://127.0.0.1:1', '--objstore.config=type: MEMORY', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    p.once('exit', (code) => resolve({ code, err }));
  });
  const r = await run(['--sync-block-duration=soon']);
  t.equal(r.code, 2);
  t.match(r.err, /sync-block-duration/);
  const c = await run(['--index-cache.config=type: MEMCACHED\nconfig: {timeout: 1s}\n']);
  t.equal(c.code, 1, 'a bad cache config fails before connecting');
  t.match(c.err, /addresses.*\[CACHE_BAD_CONFIG\]/s);
  const b = await run(['--store.caching-bucket.config=type: GROUPCACHE\n']);
  t.match(b.err, /GROUPCACHE.*does not implement.*\[CACHE_BAD_CONFIG\]/s);
});
