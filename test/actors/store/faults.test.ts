import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import t from 'tap';
import { FilesystemBucket } from '../../../actors/shared/objstore/filesystem.js';
import { labelValuesRequest, seriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { putBlockDir, writeChunkBlock } from './block-fixtures.js';
import { makeSeries } from './data.js';
import { collectSeries } from './series-decode.js';

const T0 = Date.UTC(2026, 0, 1);
const ALL = seriesRequest({ matchers: [{ type: '=~', name: '__name__', value: '.+' }] });

async function metric(reg: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = (await reg.getMetricsAsJSON()).find((x) => x.name === name);
  const v = m?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return Number(v?.value ?? 0);
}

t.test('bad blocks are skipped, logged and counted; good blocks are served', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-faults-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const bkt = new FilesystemBucket({ directory: join(dir, 'bucket') });
  const make = async (name: string, k: number) => {
    const meta = await writeChunkBlock(join(dir, 'local'), makeSeries(name, 4, T0 + k * 7200_000, 400), { labels: { cluster: 'eu' } });
    await putBlockDir(bkt, join(dir, 'local', meta.ulid), meta.ulid);
    return meta.ulid;
  };
  const good1 = await make('good', 0), good2 = await make('good', 1);
  const truncated = await make('truncated', 2);
  const idx = await readFile(join(dir, 'local', truncated, 'index'));
  await bkt.upload(`${truncated}/index`, idx.subarray(0, Math.floor(idx.length / 2)));
  const badHeader = await make('badheader', 3);
  const seg = new Uint8Array(await readFile(join(dir, 'local', badHeader, 'chunks', '000001')));
  seg[0] = 0;
  await bkt.upload(`${badHeader}/chunks/000001`, seg);
  const badChunk = await make('badchunk', 4);
  const seg2 = new Uint8Array(await readFile(join(dir, 'local', badChunk, 'chunks', '000001')));
  seg2[seg2.length - 20] ^= 0xff; // inside the last chunk's data: the CRC no longer matches
  await bkt.upload(`${badChunk}/chunks/000001`, seg2);
  const noMeta = await make('nometa', 5);
  await bkt.delete(`${noMeta}/meta.json`);
  const badMeta = await make('badmeta', 6);
  await bkt.upload(`${badMeta}/meta.json`, new TextEncoder().encode('{"ulid": 12'));

  const reg = new Registry();
  const store = new BucketStore({ bucket: bkt, registry: reg });
  t.teardown(() => store.close());
  const rep = await store.sync();
  t.same(rep.loaded, [good1, good2, badChunk].sort(), 'good blocks (and the one whose damage is inside a chunk) are loaded');
  t.same([...rep.failed.keys()].sort(), [truncated, badHeader, badMeta].sort(), 'unloadable blocks are reported');
  t.match(rep.failed.get(truncated)?.message ?? '', /index/, 'the truncated index is named');
  t.match((rep.failed.get(badHeader) as { code?: string }).code, /^TSDB_CORRUPT/, 'the bad segment header is a corruption error');
  t.same([...rep.partial], [noMeta], 'the block without meta.json is partial (invisible)');
  t.equal(await metric(reg, 'athanor_bucket_store_block_load_failures_total'), 2);
  t.equal(await metric(reg, 'athanor_blocks_meta_synced', { state: 'no-meta-json' }), 1);
  t.equal(await metric(reg, 'athanor_blocks_meta_synced', { state: 'corrupted-meta-json' }), 1);
  t.equal(await metric(reg, 'athanor_bucket_store_blocks_loaded'), 3);

  const good = await collectSeries(store, seriesRequest({ matchers: [{ type: '=', name: '__name__', value: 'good' }] }));
  t.equal(good.series.length, 4, 'good series come back whole');
  t.ok(good.series.every((s) => s.chunks.length === 2 * 4), 'with the chunks of both good blocks merged');
  t.same(good.warnings, []);

  const all = await collectSeries(store, ALL);
  t.equal(all.warnings.length, 1, 'the corrupt chunk becomes one warning');
  t.match(all.warnings[0], new RegExp(`block ${badChunk}.*crc32c`), 'naming the block and the damage');
  t.equal(all.series.filter((s) => s.labels.some((l) => l.value === 'good')).length, 4, 'good series are still served');
  t.equal(await metric(reg, 'athanor_bucket_store_block_query_failures_total'), 1);
  const vals = await store.labelValues(labelValuesRequest({ label: '__name__' }), new AbortController().signal);
  t.same(vals.values, ['badchunk', 'good'], 'label values come from the loaded blocks');

  // A second sync retries the failed blocks and keeps serving; repairing the index makes it load.
  await bkt.upload(`${truncated}/index`, idx);
  const rep2 = await store.sync();
  t.ok(rep2.loaded.includes(truncated), 'a repaired block loads at the next sync');
});

t.test('per-request limits fail with typed errors (series: before any series is read)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-limits-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const bkt = new FilesystemBucket({ directory: join(dir, 'bucket') });
  const meta = await writeChunkBlock(join(dir, 'local'), makeSeries('m', 5, T0, 240), { labels: { cluster: 'eu' } });
  await putBlockDir(bkt, join(dir, 'local', meta.ulid), meta.ulid);
  const reg = new Registry();
  const store = new BucketStore({ bucket: bkt, registry: reg, limits: { series: 4, samples: 600 } });
  t.teardown(() => store.close());
  await store.sync();
  await t.rejects(collectSeries(store, ALL), { code: 'STORE_SERIES_LIMIT', retryable: false, data: { limit: 4, got: 5 } });
  const three = seriesRequest({ matchers: [{ type: '=~', name: 'i', value: '0|1|2' }] });
  await t.resolves(collectSeries(store, { ...three, skipChunks: true }), 'under the series limit, without chunks');
  await t.rejects(collectSeries(store, three), { code: 'STORE_SAMPLES_LIMIT', message: /exceeded samples limit/ }, '3 × 240 samples > 600');
  const two = await collectSeries(store, seriesRequest({ matchers: [{ type: '=~', name: 'i', value: '0|1' }] }));
  t.equal(two.series.length, 2, '2 × 240 samples fit');
  t.equal(await metric(reg, 'athanor_bucket_store_queries_dropped_total', { reason: 'series' }), 1);
  t.equal(await metric(reg, 'athanor_bucket_store_queries_dropped_total', { reason: 'samples' }), 1);
});

t.test('the downloaded-bytes limit covers index and chunk reads of Series and label calls', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-bytes-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const bkt = new FilesystemBucket({ directory: join(dir, 'bucket') });
  const meta = await writeChunkBlock(join(dir, 'local'), makeSeries('m', 50, T0, 480), { labels: { cluster: 'eu' } });
  await putBlockDir(bkt, join(dir, 'local', meta.ulid), meta.ulid);
  const reg = new Registry();
  const store = new BucketStore({ bucket: bkt, registry: reg, limits: { series: 0, samples: 0, bytes: 2000 } });
  t.teardown(() => store.close());
  await store.sync();
  await t.rejects(collectSeries(store, ALL), { code: 'STORE_BYTES_LIMIT', data: { limit: 2000 } }, 'reading 50 series with their chunks fetches more than 2000 bytes');
  const one = seriesRequest({ matchers: [{ type: '=', name: 'i', value: '3' }], skipChunks: true });
  t.equal((await collectSeries(store, one)).series.length, 1, 'one series without chunks fits');
  t.equal(await metric(reg, 'athanor_bucket_store_queries_dropped_total', { reason: 'bytes' }), 1);
  const free = new BucketStore({ bucket: bkt, limits: { series: 0, samples: 0, bytes: 0 } });
  t.teardown(() => free.close());
  await free.sync();
  t.equal((await collectSeries(free, ALL)).series.length, 50, 'no limit: everything');
  let hints: unknown;
  for await (const f of free.series({ ...ALL, hints: { blockMatchers: [], enableQueryStats: true } }, new AbortController().signal)) if (f.kind === 'hints') hints = f.hints;
  t.match(hints, { queriedBlocks: [meta.ulid], queryStats: { blocksQueried: 1, touchedSeries: 50 } }, 'hints frame when asked, with stats');
  t.ok((hints as { queryStats: { fetchedBytes: number } }).queryStats.fetchedBytes > 2000, 'fetched bytes reported');
});

t.test('a bucket unreachable at start: the sync loop retries soon and becomes ready without waiting an interval', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-retry-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const raw = new FilesystemBucket({ directory: join(dir, 'bucket') });
  const meta = await writeChunkBlock(join(dir, 'local'), makeSeries('m', 2, T0, 120), { labels: { cluster: 'eu' } });
  await putBlockDir(raw, join(dir, 'local', meta.ulid), meta.ulid);
  let failures = 1;
  const flaky = new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === 'iter' && failures > 0) { failures--; return () => { throw new Error('connection refused'); }; }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const reg = new Registry();
  const store = new BucketStore({ bucket: flaky, registry: reg });
  const ac = new AbortController();
  const synced = new Promise<number>((resolve) => { void store.runSyncLoop(3600_000, ac.signal, (r) => resolve(r.loaded.length)); });
  t.equal(await synced, 1, 'first successful sync after the failed one');
  t.equal(await metric(reg, 'athanor_bucket_store_sync_failures_total'), 1);
  ac.abort();
  await store.close();
});
