import t from 'tap';
import { MemoryBucket } from '../../../../../actors/shared/objstore/memory.js';
import { writeIndex } from '../../../../../actors/shared/tsdb/index/writer.js';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import { encodeMeta } from '../../../../../actors/shared/tsdb/meta/encode.js';
import type { BlockMeta } from '../../../../../actors/shared/tsdb/meta/types.js';
import type { ChunkMeta } from '../../../../../actors/shared/tsdb/index/series.js';
import { bucketSource } from '../../../../../actors/shared/block/tools/bucket-source.js';
import { checkIndex } from '../../../../../actors/shared/block/tools/index-check.js';
import { checkFiles, findOverlaps, verifyBlocks } from '../../../../../actors/shared/block/tools/verify.js';

const SEG = 1000;
const ref = (seg: number, off: number) => seg * 2 ** 32 + off;

function meta(ulid: string, minTime: number, maxTime: number, labels: Record<string, string> = { a: '1' }, indexSize?: number): BlockMeta {
  return {
    ulid, minTime, maxTime, version: 1, stats: { numSeries: 2 }, compaction: { level: 1 },
    thanos: { labels, downsample: { resolution: 0 }, source: 'test',
      files: [{ relPath: 'chunks/000001', sizeBytes: SEG }, ...(indexSize === undefined ? [] : [{ relPath: 'index', sizeBytes: indexSize }]), { relPath: 'meta.json' }] },
  };
}

async function putBlock(bkt: MemoryBucket, id: string, minTime: number, maxTime: number, chunks: ChunkMeta[][]): Promise<Uint8Array> {
  const index = writeIndex(chunks.map((c, i) => ({ labels: labelsFromObject({ __name__: 'm', i: String(i) }), chunks: c })));
  await bkt.upload(`${id}/chunks/000001`, new Uint8Array(SEG));
  await bkt.upload(`${id}/index`, index);
  await bkt.upload(`${id}/meta.json`, new TextEncoder().encode(encodeMeta(meta(id, minTime, maxTime, { a: '1' }, index.length))));
  return index;
}

const A = '01A00000000000000000000000', B = '01B00000000000000000000000', C = '01C00000000000000000000000';

t.test('a healthy index has no problems', async (t) => {
  const bkt = new MemoryBucket();
  await putBlock(bkt, A, 0, 1000, [[{ mint: 0, maxt: 100, ref: ref(0, 8) }, { mint: 101, maxt: 999, ref: ref(0, 500) }], [{ mint: 5, maxt: 10, ref: ref(0, 900) }]]);
  t.same(await checkIndex(bkt, meta(A, 0, 1000), new Map([['000001', SEG]])), []);
  t.same(await verifyBlocks(bkt, [meta(A, 0, 1000)], { issues: ['overlapped_blocks', 'block_files', 'index_known_issues'] }), []);
});

t.test('chunk problems: outside the block range, bad refs, mint > maxt, overlapping chunks', async (t) => {
  const bkt = new MemoryBucket();
  await putBlock(bkt, A, 0, 1000, [
    [{ mint: -5, maxt: 10, ref: ref(0, 8) }, { mint: 20, maxt: 1500, ref: ref(0, 16) }],
    [{ mint: 0, maxt: 10, ref: ref(1, 8) }, { mint: 20, maxt: 30, ref: ref(0, SEG) }, { mint: 40, maxt: 50, ref: ref(0, 4) }],
    [{ mint: 60, maxt: 50, ref: ref(0, 8) }],
    [{ mint: 0, maxt: 50, ref: ref(0, 8) }, { mint: 40, maxt: 60, ref: ref(0, 20) }],
  ]);
  const p = await checkIndex(bkt, meta(A, 0, 1000), new Map([['000001', SEG]]));
  t.match(p.join('\n'), /chunk \[-5, 10\] outside the block range \[0, 1000\)/);
  t.match(p.join('\n'), /chunk \[20, 1500\] outside/);
  t.match(p.join('\n'), /points to missing segment chunks\/000002/);
  t.match(p.join('\n'), new RegExp(`offset ${SEG} outside chunks/000001 \\(${SEG} bytes\\)`));
  t.match(p.join('\n'), /offset 4 outside chunks\/000001/);
  t.match(p.join('\n'), /chunk \[60, 50\] has mint > maxt/);
  t.match(p.join('\n'), /chunk \[40, 60\] overlaps or precedes the previous chunk/);
});

t.test('a truncated or corrupted index is reported, not thrown', async (t) => {
  const bkt = new MemoryBucket();
  const index = await putBlock(bkt, A, 0, 1000, [[{ mint: 0, maxt: 10, ref: ref(0, 8) }]]);
  await bkt.upload(`${A}/index`, index.subarray(0, index.length - 10));
  t.match((await checkIndex(bkt, meta(A, 0, 1000), new Map([['000001', SEG]])))[0], /^index unreadable: .*file 01A00000000000000000000000\/index/);
  const flipped = Uint8Array.from(index);
  flipped[20] ^= 0xff;
  await bkt.upload(`${A}/index`, flipped);
  t.match((await checkIndex(bkt, meta(A, 0, 1000), new Map([['000001', SEG]])))[0], /^index unreadable: .*crc32c/i);
});

t.test('overlaps only within a group; files missing or of another size', async (t) => {
  const o = findOverlaps([meta(A, 0, 100), meta(B, 50, 150), meta(C, 100, 200), meta('01D00000000000000000000000', 0, 300, { a: '2' })]);
  t.same(o.map((i) => `${i.block}:${i.message}`), [`${A}:overlaps block ${B} in [50, 100)`, `${B}:overlaps block ${A} in [50, 100)`,
    `${B}:overlaps block ${C} in [100, 150)`, `${C}:overlaps block ${B} in [100, 150)`]);
  const m = meta(A, 0, 100, { a: '1' }, 77);
  t.same(checkFiles(m, new Map([['chunks/000001', SEG], ['index', 77]])), []);
  t.same(checkFiles(m, new Map([['index', 70]])).map((i) => i.message),
    ['missing file chunks/000001 (listed in meta.json)', 'size mismatch of index: 70 bytes in the bucket, 77 in meta.json']);
  const bare: BlockMeta = { ...m, thanos: { labels: {}, downsample: { resolution: 0 }, source: '', segmentFiles: ['000001'] } };
  t.same(checkFiles(bare, new Map()).map((i) => i.message), ['missing file index', 'missing file chunks/000001 (listed in meta.json segment_files)']);
});

t.test('bucketSource: ranged reads, out-of-range and shrunk objects are CorruptError', async (t) => {
  const bkt = new MemoryBucket();
  await bkt.upload('x/index', Uint8Array.from([1, 2, 3, 4, 5]));
  const src = await bucketSource(bkt, 'x/index');
  t.equal(src.size, 5);
  t.same([...await src.read(1, 3)], [2, 3, 4]);
  await t.rejects(src.read(4, 2), { code: 'TSDB_CORRUPT' });
  await bkt.upload('x/index', Uint8Array.from([1, 2]));
  await t.rejects(src.read(1, 3), { code: 'TSDB_CORRUPT', message: /shorter than its size/ });
  await src.close();
  await t.rejects(src.read(0, 1), /closed/);
});
