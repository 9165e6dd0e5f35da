import t from 'tap';
import { Registry } from 'prom-client';
import { decodePostings, decodeSeries, encodePostings, encodeSeries, postingsKey, seriesKey } from '../../../actors/store/index-cache-codec.js';
import { IndexCache } from '../../../actors/store/index-cache.js';
import { parseIndexCacheYaml } from '../../../actors/store/index-cache-config.js';
import { RemoteIndexCache } from '../../../actors/store/remote-index-cache.js';
import { isValidCacheKey, type RemoteCache } from '../../../actors/shared/cache/remote-cache.js';
import { isCorruptError } from '../../../actors/shared/tsdb/bytes/errors.js';
import { seededRandom } from '../../../runtime/random.js';

/** An in-process stand-in for memcached/redis (the real servers are exercised in store-remote-cache.test.ts). */
function mapCache(): RemoteCache & { readonly data: Map<string, Uint8Array> } {
  const data = new Map<string, Uint8Array>();
  return {
    backend: 'memcached', data,
    getMulti: (keys) => Promise.resolve(new Map(keys.filter((k) => data.has(k)).map((k) => [k, data.get(k)!.slice()]))),
    setAsync: (k, v, ttl) => { if (!isValidCacheKey(k)) throw new Error(`bad key ${k}`); if (ttl > 0) data.set(k, v.slice()); },
    deleteAsync: (k) => { data.delete(k); },
    flush: () => Promise.resolve(), close: () => Promise.resolve(),
  };
}

const entry = { labels: [{ name: '__name__', value: 'up' }, { name: 'job', value: 'a b\nc ✓' }], chunks: [{ mint: -5000, maxt: 7000, ref: 8 }, { mint: 7001, maxt: 2 ** 42, ref: 2 ** 40 }] };

t.test('codec: postings and series round trip; wrong format, cut short or unsorted values are CorruptErrors', async (t) => {
  const p = Uint32Array.of(0, 1, 2, 1000, 2 ** 32 - 1);
  t.same(decodePostings(encodePostings(p), 'k'), p);
  t.same(decodePostings(encodePostings(new Uint32Array(0)), 'k'), new Uint32Array(0));
  t.same(decodeSeries(encodeSeries(entry), 'k'), entry);
  const enc = encodePostings(p);
  t.ok(enc.byteLength < p.byteLength + 2, `${enc.byteLength} bytes for ${p.length} refs`);
  const bad = (f: () => unknown, what: string): void => { try { f(); t.fail(what); } catch (e) { t.ok(isCorruptError(e), what); } };
  bad(() => decodePostings(encodeSeries(entry), 'k'), 'series bytes read as postings');
  bad(() => decodeSeries(enc, 'k'), 'postings bytes read as series');
  bad(() => decodePostings(enc.subarray(0, enc.length - 1), 'k'), 'cut short');
  bad(() => decodePostings(Uint8Array.of(1, 2, 5, 0), 'k'), 'repeated ref');
  bad(() => decodePostings(Uint8Array.of(1, 1, 5, 9), 'k'), 'trailing bytes');
  const rnd = seededRandom(7);
  for (let i = 0; i < 2000; i++) {
    const b = encodeSeries(entry).slice();
    b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    const cut = b.subarray(0, Math.floor(rnd() * (b.length + 1)));
    for (const f of [() => decodeSeries(cut, 'k'), () => decodePostings(cut, 'k')]) {
      try { f(); } catch (e) { if (!isCorruptError(e)) { t.fail(`not a CorruptError: ${String(e)}`); return; } }
    }
  }
  t.ok(isValidCacheKey(postingsKey('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'job', 'a b\n'.repeat(100))), 'postings keys hash the label pair');
  t.ok(isValidCacheKey(seriesKey('01ARZ3NDEKTSV4RRFFQ69G5FAV', 2 ** 40)));
  t.not(postingsKey('B', 'a', 'bc'), postingsKey('B', 'ab', 'c'), 'name/value boundary is part of the key');
});

t.test('remote index cache: stores and fetches through the backend, counts hits, treats undecodable items as misses', async (t) => {
  const reg = new Registry();
  const be = mapCache();
  const c = new RemoteIndexCache({ cache: be, ttlMs: 60_000, registry: reg });
  c.storePostings('B1', 'job', 'x', Uint32Array.of(3, 9));
  c.storeSeries('B1', 16, entry);
  t.same(await c.fetchPostings('B1', 'job', ['x', 'y']), new Map([['x', Uint32Array.of(3, 9)]]));
  t.same(await c.fetchSeries('B1', [16, 32]), new Map([[16, entry]]));
  t.same(await c.fetchSeries('B2', [16]), new Map(), 'blocks do not share items');
  be.data.set(seriesKey('B1', 32), Uint8Array.of(2, 200));
  t.same(await c.fetchSeries('B1', [32]), new Map(), 'a corrupt item is a miss');
  const v = async (name: string, item: string): Promise<number> => (await reg.getSingleMetric(name)!.get()).values.find((x) => x.labels.item_type === item)?.value ?? 0;
  t.equal(await v('athanor_store_index_cache_requests_total', 'Series'), 4);
  t.equal(await v('athanor_store_index_cache_hits_total', 'Series'), 1);
  t.equal(await v('athanor_store_index_cache_corrupt_items_total', 'Series'), 1);

  const only = new RemoteIndexCache({ cache: mapCache(), enabledItems: new Set(['Series']) });
  only.storePostings('B', 'a', 'b', Uint32Array.of(1));
  t.same(await only.fetchPostings('B', 'a', ['b']), new Map(), 'postings not enabled: not stored');
  const mem = new IndexCache({ maxBytes: 1 << 20, enabledItems: new Set(['Postings']) });
  mem.storeSeries('B', 1, entry);
  t.same(await mem.fetchSeries('B', [1]), new Map(), 'in memory too');
});

t.test('index cache config: Thanos YAML for each backend, defaults, refusals', async (t) => {
  const m = parseIndexCacheYaml('type: in-memory\nconfig:\n  max_size: 1GB\n  max_item_size: 100MB\nenabled_items: [Series]\n', 't');
  t.same(m.backend, { type: 'IN-MEMORY', maxSizeBytes: 2 ** 30, maxItemSizeBytes: 100 * 2 ** 20 });
  t.same([...m.enabledItems], ['Series']);
  t.same([...parseIndexCacheYaml('type: IN-MEMORY\n', 't').enabledItems].sort(), ['Postings', 'Series'], 'empty enabled_items = all');
  const mc = parseIndexCacheYaml('type: MEMCACHED\nconfig:\n  addresses: ["127.0.0.1:11211"]\nttl: 1h\n', 't');
  t.equal(mc.backend.type, 'MEMCACHED');
  t.equal(mc.ttlMs, 3_600_000);
  t.equal(parseIndexCacheYaml('type: REDIS\nconfig:\n  addr: 127.0.0.1:6379\n', 't').backend.type, 'REDIS');
  t.equal(parseIndexCacheYaml('type: REDIS\nconfig:\n  addr: 127.0.0.1:6379\n', 't').ttlMs, 24 * 3_600_000, 'ttl defaults to 24h');
  const bad = (y: string, re: RegExp): void => { t.throws(() => parseIndexCacheYaml(y, 'ic'), { code: 'CACHE_BAD_CONFIG', message: re }, re.source); };
  bad('type: IN-MEMORY\nenabled_items: [Chunks]\n', /enabled_items/);
  bad('type: IN-MEMORY\nsize: 5\n', /unknown field "size"/);
  bad('type: GROUPCACHE\n', /does not implement/);
  bad('type: MEMCACHED\nconfig: {}\n', /addresses/);
  bad('type: REDIS\nconfig: {}\n', /addr/);
  bad('type: IN-MEMORY\nttl: 0s\n', /ttl/);
  bad('type: [', /invalid YAML/);
});
