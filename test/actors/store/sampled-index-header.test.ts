import { readdir, readlink, mkdtemp, rm, truncate, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { uploadBlock } from '../../../actors/shared/block/upload.js';
import { FilesystemBucket } from '../../../actors/shared/objstore/filesystem.js';
import type { Bucket } from '../../../actors/shared/objstore/bucket.js';
import { labelValuesRequest } from '../../../actors/shared/storeapi/protocol.js';
import { memorySource } from '../../../actors/shared/tsdb/bytes/source.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { headerFileLayout, HeaderFileSource } from '../../../actors/store/header-file-source.js';
import { IndexCache } from '../../../actors/store/index-cache.js';
import { readIndexHeader, writeIndexHeader } from '../../../actors/store/index-header.js';
import { openMetricsText } from '../../harness/openmetrics-gen.js';
import { createBlocksFromOpenMetrics } from '../../harness/promtool.js';
import { countingBucket } from './block-fixtures.js';
import { answers, START } from './answers.js';

/** Open file descriptors of this process on index-header files. */
async function headerFds(): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(join('/proc/self/fd', fd)).catch(() => '');
    if (target.endsWith('/index-header')) n++;
  }
  return n;
}

t.test('sampled index-headers answer like unsampled ones (promtool blocks, sampling 1/2/32, eager and lazy)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-sampled-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const input = join(dir, 'in.om');
  await writeFile(input, openMetricsText({ hours: 6, series: 40, families: 1, seed: 3, stepSec: 600 }));
  const data = join(dir, 'data');
  const ids = await createBlocksFromOpenMetrics(input, data);
  t.ok(ids.length >= 3, `promtool made ${ids.length} blocks`);
  const raw: Bucket = new FilesystemBucket({ directory: join(dir, 'bucket') });
  for (const id of ids) await uploadBlock(raw, join(data, id), { labels: { cluster: 'eu' } });

  const base = new BucketStore({ bucket: raw, postingOffsetsInMemSampling: 0 });
  t.teardown(() => base.close());
  await base.sync();
  const want = await answers(base);
  const instances = (await base.labelValues(labelValuesRequest({ label: 'instance' }), new AbortController().signal)).values;
  t.ok(instances.length > 32, `a label name has more values (${instances.length}) than the coarsest sampling`);
  t.ok(want.filter((a) => Array.isArray(a) && a.length > 0).length > want.length / 2, 'most reference answers are non-empty');

  for (const [sampling, lazy] of [[1, false], [2, true], [32, false], [32, true]] as const) {
    {
      const what = `sampling ${sampling}${lazy ? ' lazy' : ''}`;
      let now = START;
      const dataDir = join(dir, `dd-${sampling}-${lazy}`);
      const bkt = countingBucket(raw);
      const store = new BucketStore({
        bucket: bkt, dataDir, postingOffsetsInMemSampling: sampling, indexCache: new IndexCache({ maxBytes: 16 << 20 }),
        lazyIndexHeader: lazy, lazyIdleTimeoutMs: 60_000, now: () => now,
      });
      await store.sync();
      t.same(await answers(store), want, `${what}: every answer equals the unsampled store's (cold cache)`);
      if (sampling === 32 && !lazy) t.same(await answers(store), want, `${what}: and again with a warm index cache`);
      t.equal(await headerFds(), ids.length, `${what}: one index-header file handle per loaded block`);
      bkt.stats.reset();
      const vals = await store.labelValues(labelValuesRequest({ label: 'instance' }), new AbortController().signal);
      t.same(vals.values, instances);
      t.equal(bkt.stats.objects.filter((o) => o.endsWith('/index')).length, 0, `${what}: label values read from the local index-header, not the bucket`);
      if (lazy) {
        now += 61_000;
        t.equal(store.unloadIdle(), ids.length, `${what}: idle index-headers unloaded`);
        t.equal(store.indexHeadersLoaded, 0);
        await new Promise((r) => setImmediate(r));
        t.equal(await headerFds(), 0, `${what}: unloading closed the index-header files`);
        t.same(await answers(store), want, `${what}: reopened with the same answers`);
      }
      await store.close();
      t.equal(await headerFds(), 0, `${what}: close released the index-header files`);
    }
  }

  // Without a data dir the table spans come from the bucket by range.
  const bkt = countingBucket(raw);
  const remote = new BucketStore({ bucket: bkt, postingOffsetsInMemSampling: 4 });
  t.teardown(() => remote.close());
  await remote.sync();
  bkt.stats.reset();
  await remote.labelValues(labelValuesRequest({ label: 'instance' }), new AbortController().signal);
  t.ok(bkt.stats.objects.some((o) => o.endsWith('/index')), 'without a local index-header the spans are read from the bucket');
  t.same(await answers(remote), want, 'sampling 4 without a data dir: same answers');

  // A truncated index-header: at open it is rebuilt from the bucket; truncated under a running store, reads fall back.
  const dataDir = join(dir, 'dd-trunc');
  const first = new BucketStore({ bucket: raw, dataDir, postingOffsetsInMemSampling: 2 });
  await first.sync();
  await first.close();
  const hp = join(dataDir, ids[0]!, 'index-header');
  const full = (await stat(hp)).size;
  await truncate(hp, Math.floor(full / 2));
  const tb = countingBucket(raw);
  const second = new BucketStore({ bucket: tb, dataDir, postingOffsetsInMemSampling: 2 });
  t.teardown(() => second.close());
  await second.sync();
  t.equal((await stat(hp)).size, full, 'the truncated index-header was rewritten whole');
  // Cut it again before any query (spans read once are remembered in memory, so cutting later proves nothing).
  await truncate(hp, 30);
  tb.stats.reset();
  t.same(await answers(second), want, 'index-header truncated under the running store: same answers');
  t.ok(tb.stats.objects.some((o) => o === `${ids[0]}/index`), 'its table spans now come from the bucket');
  await second.close();
  const third = new BucketStore({ bucket: raw, dataDir, postingOffsetsInMemSampling: 2 });
  t.teardown(() => third.close());
  await third.sync();
  t.equal((await stat(hp)).size, full, 'rebuilt whole again at the next open');
  t.same(await answers(third), want, 'same answers from the rebuilt index-header');
});

t.test('HeaderFileSource: reads inside the file\'s ranges from the file, others (and after truncation or close) remotely', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-hfs-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff);
  const remote = memorySource(bytes, 'index');
  const eq = (a: Uint8Array, b: Uint8Array, msg = 'same bytes') => t.same(Buffer.from(a), Buffer.from(b), msg);
  const ranges = [{ offset: 0, bytes: bytes.slice(0, 5) }, { offset: 1000, bytes: bytes.slice(1000, 3000) }, { offset: 4000, bytes: bytes.slice(4000) }];
  const path = join(dir, 'index-header');
  await writeIndexHeader(path, bytes.length, ranges);
  t.ok((await readIndexHeader(path, bytes.length)) !== undefined);
  const src = new HeaderFileSource(remote);
  eq(await src.read(1100, 50), bytes.slice(1100, 1150), 'before attach: remote');
  t.equal(src.remoteReads, 1);
  t.ok(await src.attach(path, headerFileLayout(ranges)), 'attached');
  t.notOk(await new HeaderFileSource(remote).attach(path, headerFileLayout(ranges.slice(1))), 'a layout of another size is refused');
  eq(await src.read(1100, 50), bytes.slice(1100, 1150));
  eq(await src.read(4000, 96), bytes.slice(4000));
  eq(await src.read(1, 3), bytes.slice(1, 4));
  t.equal(src.localReads, 3, 'reads inside the ranges come from the file');
  eq(await src.read(2990, 20), bytes.slice(2990, 3010), 'a read past a range goes remote');
  t.equal(src.remoteReads, 2);
  await truncate(path, 1500);
  eq(await src.read(2500, 100), bytes.slice(2500, 2600), 'truncated file: remote');
  t.equal(src.remoteReads, 3);
  await src.close();
  await src.close();
  eq(await src.read(1100, 50), bytes.slice(1100, 1150), 'after close: remote');
  t.equal(src.remoteReads, 4);
  t.equal(src.localReads, 3);
});
