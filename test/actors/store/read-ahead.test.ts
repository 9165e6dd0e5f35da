// A block's series leave in growing batches (the first small, so the first frame goes out before the
// whole block is read) and the next batch is read while the current one is consumed; a read-ahead that
// fails while the caller holds a batch, or after it stopped, neither crashes nor hides the failure.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { OpOptions } from '../../../actors/shared/objstore/bucket.js';
import { FilesystemBucket } from '../../../actors/shared/objstore/filesystem.js';
import { seriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import type { Series } from '../../../actors/shared/storeapi/types.js';
import { FIRST_SERIES_BATCH, SERIES_BATCH, StoreBlock } from '../../../actors/store/block-source.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { IndexCache } from '../../../actors/store/index-cache.js';
import type { BlockMeta } from '../../../actors/shared/tsdb/meta/types.js';
import { RequestLimiter } from '../../../actors/store/limits.js';
import { putBlockDir, writeChunkBlock } from './block-fixtures.js';
import { makeSeries } from './data.js';

const T0 = Date.UTC(2026, 0, 1);
const SERIES = 2500;

/** A filesystem bucket whose chunk reads can be made to fail from the `failFrom`-th one on (1-based). */
class ChunkFaultBucket extends FilesystemBucket {
  chunkReads = 0;
  failFrom = Infinity;
  override async getRange(name: string, offset: number, length: number, o?: OpOptions): Promise<Uint8Array> {
    if (/\/chunks\/\d+$/.test(name) && offset > 0 && ++this.chunkReads >= this.failFrom) {
      await new Promise((r) => setTimeout(r, 5));
      throw new Error(`injected chunk read failure #${this.chunkReads}`);
    }
    return super.getRange(name, offset, length, o);
  }
}

async function setup(t: { teardown(fn: () => unknown): void }): Promise<{ bkt: ChunkFaultBucket; meta: BlockMeta }> {
  const dir = await mkdtemp(join(tmpdir(), 'store-readahead-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const bkt = new ChunkFaultBucket({ directory: join(dir, 'bucket') });
  const meta = await writeChunkBlock(join(dir, 'local'), makeSeries('m', SERIES, T0, 30), { labels: { cluster: 'eu' } });
  await putBlockDir(bkt, join(dir, 'local', meta.ulid), meta.ulid);
  return { bkt, meta };
}

const query = { matchers: [{ type: '=~' as const, name: '__name__', value: '.+' }], minTime: T0, maxTime: T0 + 3600_000, skipChunks: false, aggregates: [], reorderLabels: [] };
const context = () => ({ limiter: new RequestLimiter({ series: 0, samples: 0, bytes: 0 }), signal: new AbortController().signal });

t.test('batches grow from the first small one to the largest, in label order, every series once', async (t) => {
  const { bkt, meta } = await setup(t);
  const block = await StoreBlock.load(bkt, meta, new IndexCache());
  t.teardown(() => block.close());
  const sizes: number[] = [];
  const all: Series[] = [];
  for await (const batch of block.series(query, context())) { sizes.push(batch.length); all.push(...batch); }
  const want: number[] = [];
  for (let left = SERIES, n = FIRST_SERIES_BATCH; left > 0; left -= n, n = Math.min(2 * n, SERIES_BATCH)) want.push(Math.min(n, left));
  t.same(sizes, want, `batch sizes start at ${FIRST_SERIES_BATCH} and double up to ${SERIES_BATCH}`);
  t.equal(all.length, SERIES);
  t.equal(new Set(all.map((s) => s.labels.find((l) => l.name === 'i')!.value)).size, SERIES, 'no series twice');
  t.ok(all.every((s) => s.chunks.length > 0), 'every series has its chunks');
});

t.test('the next batch is read while the caller holds this one', async (t) => {
  const { bkt, meta } = await setup(t);
  const block = await StoreBlock.load(bkt, meta, new IndexCache());
  t.teardown(() => block.close());
  const it = block.series(query, context());
  const first = await it.next();
  t.equal((first.value as Series[]).length, FIRST_SERIES_BATCH);
  const readsAtFirst = bkt.chunkReads;
  await new Promise((r) => setTimeout(r, 50));
  t.ok(bkt.chunkReads > readsAtFirst, `chunks of the second batch were read before it was asked for (${readsAtFirst} → ${bkt.chunkReads} reads)`);
  await it.return(undefined);
});

t.test('a read-ahead failing after the caller stopped is settled quietly; while consuming it is a warning', async (t) => {
  const { bkt, meta } = await setup(t);
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  t.teardown(() => { process.off('unhandledRejection', onUnhandled); });
  const store = new BucketStore({ bucket: bkt });
  t.teardown(() => store.close());
  await store.sync();
  const req = seriesRequest({ matchers: [{ type: '=', name: '__name__', value: 'm' }], responseBatchSize: 64 });

  // Hold the first batch while the second one's read fails: the failure waits for the next call.
  const block = await StoreBlock.load(bkt, meta, new IndexCache());
  t.teardown(() => block.close());
  bkt.chunkReads = 0;
  bkt.failFrom = 2;
  const it = block.series(query, context());
  t.equal(((await it.next()).value as Series[]).length, FIRST_SERIES_BATCH);
  await new Promise((r) => setTimeout(r, 50));
  t.same(unhandled, [], 'no unhandled rejection while the caller holds the batch');
  await t.rejects(it.next(), /injected chunk read failure/, 'the failed read-ahead is the next call\'s error');

  // Stop after the first frame while the second batch's read fails in the background.
  bkt.chunkReads = 0;
  bkt.failFrom = 2;
  for await (const f of store.series(req, new AbortController().signal)) { t.equal(f.kind, 'batch'); break; }
  await new Promise((r) => setTimeout(r, 30));
  t.same(unhandled, [], 'no unhandled rejection from the abandoned read-ahead');

  // Read everything: the failed batch ends that block's stream with a warning naming the read.
  bkt.chunkReads = 0;
  let series = 0;
  const warnings: string[] = [];
  for await (const f of store.series(req, new AbortController().signal)) {
    if (f.kind === 'batch') series += f.series.length;
    else if (f.kind === 'warning') warnings.push(f.message);
  }
  t.equal(series, FIRST_SERIES_BATCH, 'the series of the batch read before the failure were sent');
  t.match(warnings.join('\n'), /injected chunk read failure/, 'the failure is a warning');
  t.same(unhandled, []);

  // The store keeps serving once reads work again.
  bkt.failFrom = Infinity;
  let again = 0;
  for await (const f of store.series(req, new AbortController().signal)) if (f.kind === 'batch') again += f.series.length;
  t.equal(again, SERIES);
});
