import t from 'tap';
import { Registry } from 'prom-client';
import { labelsFromObject } from '../../../actors/shared/labels/labels.js';
import { memorySource } from '../../../actors/shared/tsdb/bytes/source.js';
import { ByteWriter } from '../../../actors/shared/tsdb/bytes/writer.js';
import { chunkRef } from '../../../actors/shared/tsdb/chunks/format.js';
import { writeChunkRecord, writeSegmentHeader } from '../../../actors/shared/tsdb/chunks/record.js';
import { fetchChunks } from '../../../actors/store/chunk-fetcher.js';
import { IndexCache } from '../../../actors/store/index-cache.js';
import { partitionRanges } from '../../../actors/store/partitioner.js';
import { selectBlocks, matchersForBlock } from '../../../actors/store/block-select.js';
import { bucketSource } from '../../../actors/store/bucket-source.js';
import { MemoryBucket } from '../../../actors/shared/objstore/memory.js';

t.test('gap partitioner merges ranges closer than the gap, keeps every input once', async (t) => {
  const parts = partitionRanges([{ start: 100, end: 200 }, { start: 0, end: 10 }, { start: 215, end: 300 }, { start: 1000, end: 1001 }, { start: 150, end: 160 }], 20);
  t.same(parts.map((p) => [p.start, p.end, [...p.elems].sort()]), [[0, 10, [1]], [100, 300, [0, 2, 4]], [1000, 1001, [3]]]);
  t.same(partitionRanges([{ start: 0, end: 10 }, { start: 500_000, end: 500_010 }]).length, 1, 'default gap is 512 KiB');
  t.same(partitionRanges([]), []);
});

t.test('index cache: LRU bounded by bytes, hit/miss metrics, oversize items refused', async (t) => {
  const reg = new Registry();
  const c = new IndexCache({ maxBytes: 4096, maxItemBytes: 2048, registry: reg });
  c.setPostings('b', 'job', 'api', Uint32Array.of(1, 2, 3));
  t.same(c.getPostings('b', 'job', 'api'), Uint32Array.of(1, 2, 3));
  t.equal(c.getPostings('b', 'job', 'db'), undefined);
  t.equal(c.getPostings('other', 'job', 'api'), undefined, 'keys are per block');
  c.setPostings('b', 'big', 'x', new Uint32Array(1024));
  t.equal(c.getPostings('b', 'big', 'x'), undefined, 'an item over max_item_size is not stored');
  for (let i = 0; i < 50; i++) c.setSeries('b', i, { labels: labelsFromObject({ a: String(i) }), chunks: [{ mint: 0, maxt: 1, ref: 8 }] });
  t.ok(c.sizeBytes <= 4096, `size ${c.sizeBytes} stays within the bound`);
  t.equal(c.getSeries('b', 0), undefined, 'oldest evicted');
  t.ok(c.getSeries('b', 49) !== undefined, 'newest kept');
  // Batched lookups count every key asked and every hit, once per batch.
  const got = await c.fetchSeries('b', [47, 48, 49, 1000]);
  t.same([...got.keys()], [47, 48, 49]);
  c.setPostings('b', 'job', 'api', Uint32Array.of(1, 2, 3)); // evicted by the series above: put back
  t.equal((await c.fetchPostings('b', 'job', ['api', 'web'])).size, 1);
  const json = await reg.getMetricsAsJSON();
  const val = (name: string, type: string) => json.find((m) => m.name === name)?.values.find((v) => v.labels.item_type === type)?.value;
  t.equal(val('athanor_store_index_cache_hits_total', 'Postings'), 2);
  t.equal(val('athanor_store_index_cache_requests_total', 'Postings'), 6);
  t.equal(val('athanor_store_index_cache_requests_total', 'Series'), 6, 'two single lookups and a batch of four');
  t.equal(val('athanor_store_index_cache_hits_total', 'Series'), 4);
  t.equal(val('athanor_store_index_cache_items_overflowed_total', 'Postings'), 1);
  t.ok(Number(val('athanor_store_index_cache_items_evicted_total', 'Series')) > 0);
  const off = new IndexCache({ maxBytes: 0 });
  off.setPostings('b', 'a', 'b', Uint32Array.of(1));
  t.equal(off.getPostings('b', 'a', 'b'), undefined, 'size 0 disables the cache');
});

t.test('chunk fetcher: merged reads, exact re-read of chunks longer than the estimate, CRC checked', async (t) => {
  const w = new ByteWriter(1 << 16);
  writeSegmentHeader(w);
  const datas = [new Uint8Array(40).fill(1), new Uint8Array(3000).fill(2), new Uint8Array(10).fill(3)];
  const offs: number[] = [];
  for (const d of datas) { offs.push(w.length); writeChunkRecord(w, 1, d); }
  const seg = w.finish();
  let reads = 0;
  const src = memorySource(seg, 'seg');
  const counted = { ...src, name: src.name, size: src.size, read: (o: number, l: number) => { reads++; return src.read(o, l); }, close: () => src.close() };
  let refetches = 0;
  const got = await fetchChunks([counted], offs.map((o) => chunkRef(0, o)), { sizeEstimate: 64, maxGap: 0, onRefetch: () => refetches++ });
  t.same(got.map((c) => c.data.length), [40, 3000, 10], 'in the order of the refs');
  t.equal(refetches, 1, 'the 3000-byte chunk was re-read once');
  t.equal(reads, 3, 'two reads (the first two ranges overlap and merge) plus one re-read');
  reads = 0;
  await fetchChunks([counted], offs.map((o) => chunkRef(0, o)), { sizeEstimate: 64 });
  t.equal(reads, 1, 'with the default 512 KiB gap everything is one read');
  // Exact sizes (0 = unknown) make the 3000-byte chunk one read with no re-read, in any ref order.
  reads = 0; refetches = 0;
  const order = [2, 0, 1, 2];
  const sizes = order.map((k) => (k < 2 ? offs[k + 1]! - offs[k]! : 0));
  const again = await fetchChunks([counted], order.map((k) => chunkRef(0, offs[k]!)), { sizeEstimate: 64, maxGap: 0, onRefetch: () => refetches++ }, sizes);
  t.same(again.map((c) => c.data[0]), [3, 1, 2, 3], 'each listing answered, in order (a repeated ref too)');
  t.equal(refetches, 0, 'no re-read when the sizes are known');
  const bad = seg.slice();
  bad[offs[2]! + 3] ^= 0xff;
  await t.rejects(fetchChunks([memorySource(bad, 'seg')], [chunkRef(0, offs[2]!)]), { code: 'TSDB_CORRUPT', message: /crc32c.*seg/ });
  await t.rejects(fetchChunks([memorySource(seg, 'seg')], [chunkRef(1, 8)]), { code: 'TSDB_CORRUPT' }, 'unknown segment');
});

t.test('bucket source reads by range and reports a short object as corruption', async (t) => {
  const b = new MemoryBucket();
  await b.upload('x/index', Uint8Array.of(1, 2, 3, 4, 5));
  const seen: number[] = [];
  const s = bucketSource(b, 'x/index', 5, (_n, bytes) => seen.push(bytes));
  t.same(await s.read(1, 3), Uint8Array.of(2, 3, 4));
  t.same(await s.read(5, 0), new Uint8Array(0));
  await t.rejects(s.read(3, 5), { code: 'TSDB_CORRUPT' }, 'past the recorded size');
  const lying = bucketSource(b, 'x/index', 9);
  await t.rejects(lying.read(2, 6), { code: 'TSDB_CORRUPT', message: /shorter than its recorded size/ });
  t.same(seen, [3]);
});

t.test('block selection: external-label matchers, coarsest resolution first, gaps from finer', async (t) => {
  const blk = (id: string, minTime: number, maxTime: number, resolution = 0, ext = { r: 'eu' }) =>
    ({ id, extLabels: labelsFromObject(ext), resolution, meta: { minTime, maxTime } });
  const b = blk('A', 0, 100);
  t.equal(matchersForBlock(b, [{ type: '=', name: 'r', value: 'us' }]), undefined, 'rejecting external matcher skips the block');
  t.same(matchersForBlock(b, [{ type: '=~', name: 'r', value: 'e.' }]), [{ type: '=~', name: '__name__', value: '.*' }], 'accepted external matchers are dropped');
  const blocks = [blk('raw1', 0, 100), blk('raw2', 100, 200), blk('d5', 0, 150, 300_000), blk('d60', 0, 50, 3_600_000), blk('us', 0, 200, 0, { r: 'us' })];
  const pick = (w: number) => selectBlocks(blocks, 0, 199, w).map((s) => `${s.block.id}:${s.minTime}-${s.maxTime}`);
  t.same(pick(0), ['raw1:0-99', 'us:0-199', 'raw2:100-199']);
  t.same(pick(300_000), ['d5:0-149', 'us:0-199', 'raw2:150-199']);
  t.same(pick(3_600_000), ['d5:50-149', 'd60:0-49', 'us:0-199', 'raw2:150-199']);
});
