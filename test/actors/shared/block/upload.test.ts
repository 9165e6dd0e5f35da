import t from 'tap';
import { mkdtemp, readFile, rm, writeFile, mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBucket } from '../../../../actors/shared/objstore/memory.js';
import { FaultyBucket } from '../../../../actors/shared/objstore/faulty.js';
import { createBucket } from '../../../../actors/shared/objstore/factory.js';
import { objstoreConfigFrom } from '../../../../actors/shared/objstore/config.js';
import { collect } from '../../../../actors/shared/objstore/body.js';
import type { Bucket } from '../../../../actors/shared/objstore/bucket.js';
import { deleteBlock, uploadBlock } from '../../../../actors/shared/block/upload.js';
import { MetaFetcher } from '../../../../actors/shared/block/fetcher.js';
import { markBlock } from '../../../../actors/shared/block/markers.js';
import { parseMeta } from '../../../../actors/shared/tsdb/meta/decode.js';
import { createBlocksFromOpenMetrics, promtoolDump } from '../../../harness/promtool.js';
import { openMetricsText } from '../../../harness/openmetrics-gen.js';
import { startS3rver } from '../../../harness/s3rver.js';
import { RecordingBucket } from './recording-bucket.js';

const work = await mkdtemp(join(tmpdir(), 'athanor-block-'));
t.teardown(() => rm(work, { recursive: true, force: true }));
await writeFile(join(work, 'in.om'), openMetricsText({ hours: 4, series: 3 }));
const data = join(work, 'data');
const ids = await createBlocksFromOpenMetrics(join(work, 'in.om'), data);

t.test('promtool wrote blocks to upload', async (t) => { t.ok(ids.length >= 2, `${ids.length} blocks`); });

t.test('upload order is chunks, index, meta.json last; meta gets labels, files and sizes', async (t) => {
  const bkt = new RecordingBucket(new MemoryBucket());
  const meta = await uploadBlock(bkt, join(data, ids[0]!), { labels: { cluster: 'eu', replica: 'a' } });
  t.same(bkt.log, [`upload ${ids[0]}/chunks/000001`, `upload ${ids[0]}/index`, `upload ${ids[0]}/meta.json`]);
  const stored = parseMeta(await collect(await bkt.get(`${ids[0]}/meta.json`)));
  t.same(stored.thanos?.labels, { cluster: 'eu', replica: 'a' });
  t.equal(stored.thanos?.source, 'bucket.upload');
  t.same(stored.thanos?.segmentFiles, ['000001']);
  const indexSize = (await stat(join(data, ids[0]!, 'index'))).size;
  t.same(stored.thanos?.files?.map((f) => [f.relPath, f.sizeBytes]),
    [['chunks/000001', (await stat(join(data, ids[0]!, 'chunks', '000001'))).size], ['index', indexSize], ['meta.json', undefined]]);
  t.same(stored, meta);
  t.equal(stored.stats.numSamples, meta.stats.numSamples);
});

t.test('a block without external labels is refused', async (t) => {
  await t.rejects(uploadBlock(new MemoryBucket(), join(data, ids[0]!)), { code: 'BLOCK_UPLOAD', message: /external labels/ });
});

t.test('a failing upload never leaves a block visible as complete', async (t) => {
  const inner = new MemoryBucket();
  const faulty = new FaultyBucket(inner, { errorRate: 1, operations: ['upload'], seed: 3, makeError: () => new Error('injected') });
  for (const id of ids) await t.rejects(uploadBlock(faulty, join(data, id), { labels: { a: 'b' } }));
  // Chunks may have landed before the failure of a later object; meta.json never does.
  const half = new FaultyBucket(inner, { errorRate: 1, operations: ['upload'], seed: 3, maxFaults: 1, makeError: () => new Error('injected') });
  await t.rejects(uploadBlock(half, join(data, ids[1]!), { labels: { a: 'b' } }));
  const res = await new MetaFetcher({ bucket: inner }).fetch();
  t.equal(res.metas.size, 0, 'no complete block');
  t.equal(await inner.exists(`${ids[1]}/meta.json`), false);
});

t.test('delete removes meta.json first and the deletion mark last', async (t) => {
  const bkt = new RecordingBucket(new MemoryBucket());
  await uploadBlock(bkt, join(data, ids[0]!), { labels: { a: 'b' } });
  await markBlock(bkt, { kind: 'deletion', id: ids[0]!, version: 1, timeSec: 1 });
  bkt.log.length = 0;
  await deleteBlock(bkt, ids[0]!);
  t.equal(bkt.log[0], `delete ${ids[0]}/meta.json`);
  t.equal(bkt.log.at(-1), `delete ${ids[0]}/deletion-mark.json`);
  const left: string[] = [];
  for await (const n of bkt.iter('', { recursive: true })) left.push(n);
  t.same(left, []);
  await deleteBlock(bkt, ids[0]!); // idempotent
});

t.test('round trip through S3 (s3rver, real SDK) is lossless: promtool dump equal', async (t) => {
  const s3 = await startS3rver(['blocks']);
  t.teardown(() => s3.stop());
  const bkt: Bucket = createBucket(objstoreConfigFrom({ type: 'S3', config: s3.config('blocks') }, 'test'));
  t.teardown(() => bkt.close());
  for (const id of ids) await uploadBlock(bkt, join(data, id), { labels: { cluster: 'eu' } });
  const fetched = await new MetaFetcher({ bucket: bkt }).fetch();
  t.same([...fetched.metas.keys()].sort(), [...ids].sort());
  const down = join(work, 'down');
  for (const id of ids) {
    for await (const name of bkt.iter(id, { recursive: true })) {
      const path = join(down, name);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, await collect(await bkt.get(name)));
    }
  }
  t.equal(await promtoolDump(down), await promtoolDump(data));
  // The downloaded chunk and index bytes are the originals.
  t.same(await readFile(join(down, ids[0]!, 'index')), await readFile(join(data, ids[0]!, 'index')));
});
