// Damaged blocks: typed errors naming the file and offset, never a crash or a hang.
import t from 'tap';
import { cp, mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBlock } from '../../../../../actors/shared/tsdb/block/writer.js';
import { BlockReader } from '../../../../../actors/shared/tsdb/block/reader.js';
import { dumpSamples } from '../../../../../actors/shared/tsdb/block/dump.js';
import { parseSeriesSelector } from '../../../../../actors/shared/tsdb/block/selector.js';
import { BlockError } from '../../../../../actors/shared/tsdb/block/errors.js';
import { CorruptError } from '../../../../../actors/shared/tsdb/bytes/errors.js';
import { CorruptIndexError } from '../../../../../actors/shared/tsdb/index/errors.js';
import { MetaError } from '../../../../../actors/shared/tsdb/meta/errors.js';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';

const root = await mkdtemp(join(tmpdir(), 'block-corrupt-'));
t.teardown(() => rm(root, { recursive: true, force: true }));

const T0 = 1_699_999_200_000;
const input = Array.from({ length: 5 }, (_, k) => {
  const ts = Float64Array.from({ length: 200 }, (_, i) => T0 + i * 15_000);
  return { labels: labelsFromObject({ __name__: 'm', k: String(k) }), ts, vs: Float64Array.from(ts, (_, i) => Math.sin(i + k)) };
});
const good = join(root, 'good');
const meta = await writeBlock(good, input);
const ALL = parseSeriesSelector('{__name__="m"}');

async function copy(name: string): Promise<string> {
  const d = join(root, name);
  await cp(join(good, meta.ulid), d, { recursive: true });
  return d;
}

async function readEverything(dir: string): Promise<number> {
  const r = await BlockReader.open(dir);
  try {
    let n = 0;
    for (const s of await r.select(ALL)) n += (await s.samples()).ts.length;
    return n;
  } finally { await r.close(); }
}

t.test('the undamaged block reads fully', async (t) => {
  t.equal(await readEverything(join(good, meta.ulid)), 1000);
});

t.test('corrupt chunk segment: CorruptError naming the segment and the chunk offset', async (t) => {
  const d = await copy('chunkbit');
  const seg = join(d, 'chunks', '000001');
  const bytes = await readFile(seg);
  bytes[40] ^= 0x10; // inside the first chunk's data (header 8 + len + enc)
  await writeFile(seg, bytes);
  const err = await readEverything(d).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof CorruptError, 'CorruptError');
  const data = (err as InstanceType<typeof CorruptError>).data as { file: string; offset: number };
  t.match(data.file, /chunks\/000001$/);
  t.equal(data.offset, 8, 'offset of the damaged chunk record');
  t.match((err as Error).message, /crc|checksum/i);
});

t.test('truncated chunk segment: CorruptError, not a crash', async (t) => {
  const d = await copy('chunktrunc');
  const seg = join(d, 'chunks', '000001');
  await truncate(seg, 500);
  const err = await readEverything(d).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof CorruptError, 'CorruptError');
  t.match(((err as InstanceType<typeof CorruptError>).data as { file: string }).file, /000001$/);
});

t.test('truncated index: CorruptIndexError naming the index file', async (t) => {
  const d = await copy('indextrunc');
  const idx = join(d, 'index');
  const size = (await readFile(idx)).length;
  await truncate(idx, size - 30);
  const err = await BlockReader.open(d).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof CorruptIndexError, 'CorruptIndexError');
  const data = (err as InstanceType<typeof CorruptIndexError>).data as { file: string; offset: number };
  t.match(data.file, /index$/);
  t.type(data.offset, 'number');
  await truncate(idx, 3);
  await t.rejects(BlockReader.open(d), CorruptIndexError, 'a 3-byte index');
});

t.test('missing meta.json: MetaError; missing index or chunks: BlockError', async (t) => {
  const d1 = await copy('nometa');
  await unlink(join(d1, 'meta.json'));
  await t.rejects(BlockReader.open(d1), MetaError);
  const d2 = await copy('noindex');
  await unlink(join(d2, 'index'));
  await t.rejects(BlockReader.open(d2), { code: 'TSDB_BLOCK', data: { file: join(d2, 'index') } });
  const d3 = await copy('nochunks');
  await rm(join(d3, 'chunks'), { recursive: true });
  await t.rejects(BlockReader.open(d3), BlockError);
  const bad = await copy('badmeta');
  await writeFile(join(bad, 'meta.json'), '{"ulid": "x"}');
  await t.rejects(BlockReader.open(bad), MetaError);
});

t.test('dump over a data dir with a damaged block fails with the typed error', async (t) => {
  const dataDir = join(root, 'datadir');
  await cp(good, dataDir, { recursive: true });
  const idx = join(dataDir, meta.ulid, 'index');
  const bytes = await readFile(idx);
  bytes[bytes.length - 10] ^= 0xff; // TOC
  await writeFile(idx, bytes);
  await t.rejects(dumpSamples(dataDir, { matchers: ALL }, () => {}), CorruptIndexError);
});
