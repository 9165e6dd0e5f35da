import { Registry } from 'prom-client';
import t from 'tap';
import { collect } from '../../../../actors/shared/objstore/body.js';
import { CachingBucket } from '../../../../actors/shared/objstore/caching-bucket.js';
import { DEFAULT_CACHING_BUCKET_CONFIG, parseCachingBucketYaml, type CachingBucketConfig } from '../../../../actors/shared/objstore/caching-config.js';
import { MemoryBucket } from '../../../../actors/shared/objstore/memory.js';
import { BucketMetrics, InstrumentedBucket } from '../../../../actors/shared/objstore/metrics.js';
import { planFetches } from '../../../../actors/shared/objstore/subranges.js';
import { describeBucket } from './bucket.contract.js';

const S = 16000;
const enc = new TextEncoder();
const chunk = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 13 + (i >> 8)) & 0xff);

async function metricValue(reg: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const m = await reg.getSingleMetric(name)?.get();
  const v = m?.values.find((x) => Object.entries(labels).every(([k, want]) => String(x.labels[k]) === want));
  return v?.value ?? 0;
}

function setup(cfg: Partial<CachingBucketConfig> = {}) {
  const backendReg = new Registry();
  const cacheReg = new Registry();
  const mem = new MemoryBucket();
  const inner = new InstrumentedBucket(mem, new BucketMetrics(backendReg), 'backend');
  let now = 1_000_000; // lru-cache treats a start time of 0 as "no TTL"
  const cb = new CachingBucket(inner, { ...DEFAULT_CACHING_BUCKET_CONFIG, ...cfg }, { registry: cacheReg, now: () => now });
  return {
    mem, cb, cacheReg, advance: (ms: number) => { now += ms; },
    backendOps: (op: string) => metricValue(backendReg, 'athanor_objstore_bucket_operations_total', { operation: op }),
    cacheMetric: (name: string, labels: Record<string, string>) => metricValue(cacheReg, name, labels),
  };
}

describeBucket(t, 'CACHING over MEMORY', async () => ({
  bucket: new CachingBucket(new MemoryBucket(), DEFAULT_CACHING_BUCKET_CONFIG, { registry: new Registry() }),
}));
describeBucket(t, 'CACHING (tiny subranges, 1 request) over MEMORY', async () => ({
  bucket: new CachingBucket(new MemoryBucket(), { ...DEFAULT_CACHING_BUCKET_CONFIG, chunkSubrangeSize: 7, maxChunksGetRangeRequests: 1 }),
}), { many: 50 });

t.test('chunk ranges: cold reads fetch aligned subranges once, warm reads hit the cache', async (t) => {
  const s = setup();
  const data = chunk(100_000);
  await s.mem.upload('01B/chunks/000001', data);
  t.same(await s.cb.getRange('01B/chunks/000001', 1000, 5000), data.subarray(1000, 6000));
  t.equal(await s.backendOps('get_range'), 1);
  t.equal(await s.cacheMetric('athanor_store_bucket_cache_getrange_fetched_bytes_total', { origin: 'bucket', config: 'chunks' }), S);
  t.same(await s.cb.getRange('01B/chunks/000001', 1000, 5000), data.subarray(1000, 6000));
  t.equal(await s.backendOps('get_range'), 1, 'warm read does not touch the backend');
  t.equal(await s.backendOps('attributes'), 1, 'size is cached too');
  t.same(await s.cb.getRange('01B/chunks/000001', 10_000, 40_000), data.subarray(10_000, 50_000));
  t.equal(await s.backendOps('get_range'), 2, 'the missing contiguous subranges come in one GET');
  t.same(await s.cb.getRange('01B/chunks/000001', 95_000, 10_000), data.subarray(95_000), 'short read at the end');
  t.equal(await s.cacheMetric('athanor_store_bucket_cache_operation_requests_total', { operation: 'get_range', config: 'chunks' }), 4);
  t.equal(await s.cacheMetric('athanor_store_bucket_cache_operation_hits_total', { operation: 'get_range', config: 'chunks' }), 1 + 0.25);
  t.equal(await s.cacheMetric('athanor_store_bucket_cache_getrange_requested_bytes_total', { config: 'chunks' }), 60_000);
  await t.rejects(s.cb.getRange('01B/chunks/000001', 100_000, 1), { code: 'OBJSTORE_INVALID_RANGE' });
});

t.test('missing subranges are fetched with at most max_chunks_get_range_requests GETs', async (t) => {
  const s = setup({ maxChunksGetRangeRequests: 2 });
  const data = chunk(8 * S);
  await s.mem.upload('01C/chunks/000001', data);
  for (const i of [0, 2, 4, 6]) await s.cb.getRange('01C/chunks/000001', i * S, 1);
  t.equal(await s.backendOps('get_range'), 4);
  t.same(await s.cb.getRange('01C/chunks/000001', 0, 8 * S), data);
  t.equal(await s.backendOps('get_range'), 6, 'four holes, two requests');
  t.equal(await s.cacheMetric('athanor_store_bucket_cache_getrange_refetched_bytes_total', { origin: 'cache', config: 'chunks' }), 2 * S, 'two cached subranges re-read in the gaps');
  t.same(planFetches([{ start: 0, end: 1 }, { start: 1, end: 2 }, { start: 5, end: 6 }], 0), [{ start: 0, end: 2 }, { start: 5, end: 6 }]);
});

t.test('the cache is bounded by bytes', async (t) => {
  const s = setup({ backend: { type: 'IN-MEMORY', maxSizeBytes: 50_000, maxItemSizeBytes: 20_000 } });
  await s.mem.upload('01D/chunks/000001', chunk(10 * S));
  for (let i = 0; i < 10; i++) await s.cb.getRange('01D/chunks/000001', i * S, S);
  t.ok(s.cb.memory!.sizeBytes <= 50_000, `holds ${s.cb.memory!.sizeBytes} bytes`);
  t.ok(s.cb.memory!.items <= 4);
  t.ok(await s.cacheMetric('athanor_cache_inmemory_items_evicted_total', { name: 'caching-bucket' }) >= 6);
  t.same(await s.cb.getRange('01D/chunks/000001', 9 * S, 10), chunk(10 * S).subarray(9 * S, 9 * S + 10), 'latest still cached');
  t.equal(await s.backendOps('get_range'), 10);
});

t.test('meta files: exists and content cached with TTLs; root listing cached', async (t) => {
  const s = setup({ metafileDoesntExistTtlMs: 1000, metafileExistsTtlMs: 5000, blocksIterTtlMs: 300 });
  t.equal(await s.cb.exists('01E/meta.json'), false);
  await s.mem.upload('01E/meta.json', enc.encode('{"ulid":"01E"}'));
  t.equal(await s.cb.exists('01E/meta.json'), false, 'absence cached (written behind the cache)');
  s.advance(1001);
  t.equal(await s.cb.exists('01E/meta.json'), true, 'seen after the absent TTL');
  t.equal(Buffer.from(await collect(await s.cb.get('01E/meta.json'))).toString(), '{"ulid":"01E"}');
  t.equal(Buffer.from(await collect(await s.cb.get('01E/meta.json'))).toString(), '{"ulid":"01E"}');
  t.equal(await s.backendOps('get'), 1, 'content cached');
  const list = async (): Promise<string[]> => { const o: string[] = []; for await (const n of s.cb.iter('')) o.push(n); return o; };
  t.same(await list(), ['01E/']);
  await s.mem.upload('01F/meta.json', enc.encode('{}'));
  t.same(await list(), ['01E/'], 'listing cached');
  s.advance(301);
  t.same(await list(), ['01E/', '01F/'], 'refreshed after blocks_iter_ttl');
  await s.cb.upload('01G/meta.json', enc.encode('{}'));
  t.same(await list(), ['01E/', '01F/', '01G/'], 'a write through the cache invalidates the listing');
  await s.cb.delete('01E/meta.json');
  t.equal(await s.cb.exists('01E/meta.json'), false, 'a delete through the cache invalidates exists');
  await t.rejects(s.cb.get('01E/meta.json'), { code: 'OBJSTORE_NOT_FOUND' });
  t.equal(await s.cacheMetric('athanor_store_bucket_cache_operation_hits_total', { operation: 'iter', config: 'blocks-iter' }), 1);
});

t.test('caching-bucket YAML in Thanos shape', async (t) => {
  const cfg = parseCachingBucketYaml(`type: IN-MEMORY
config:
  max_size: 1GB
  max_item_size: 64MiB
chunk_subrange_size: 16000
max_chunks_get_range_requests: 3
metafile_max_size: 1MiB
chunk_object_attrs_ttl: 24h
chunk_subrange_ttl: 24h
blocks_iter_ttl: 5m
metafile_exists_ttl: 2h
metafile_doesnt_exist_ttl: 15m
metafile_content_ttl: 24h
`, 'test');
  t.same(cfg.backend, { type: 'IN-MEMORY', maxSizeBytes: 2 ** 30, maxItemSizeBytes: 64 * 2 ** 20 });
  t.equal(cfg.blocksIterTtlMs, 300_000);
  t.same(parseCachingBucketYaml('type: in-memory\n', 'test'), DEFAULT_CACHING_BUCKET_CONFIG, 'defaults as Thanos');
  const bad = (y: string, re: RegExp): void => { t.throws(() => parseCachingBucketYaml(y, 'cb'), { code: 'CACHE_BAD_CONFIG', message: re }); };
  bad('type: GROUPCACHE\nconfig: {peers: [x]}\n', /GROUPCACHE" is a Thanos backend athanor does not implement/);
  bad('type: FANCY\n', /"FANCY" is not a known cache type \(supported: IN-MEMORY, MEMCACHED, REDIS\)/);
  t.same(parseCachingBucketYaml('type: IN-MEMORY\nconfig: {max_size: 1MB}\n', 'cb').backend, { type: 'IN-MEMORY', maxSizeBytes: 2 ** 20, maxItemSizeBytes: 2 ** 20 },
    'a max_size below the default item bound lowers the item bound (Thanos refuses it)');
  bad('type: IN-MEMORY\nchunk_subrange: 5\n', /unknown field "chunk_subrange"/);
  bad('type: IN-MEMORY\nconfig: {max_size: 1MB, max_items: 5}\n', /config: unknown field "max_items"/);
  bad('type: IN-MEMORY\nconfig: {max_size: 1MB, max_item_size: 2MB}\n', /must not exceed max_size/);
  bad('type: IN-MEMORY\nblocks_iter_ttl: forever\n', /blocks_iter_ttl/);
});
