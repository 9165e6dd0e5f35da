import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChunkSegmentReader, ChunkSegmentWriter, chunkRef, refOffset, refSegment, scanSegment, segmentFileName, SEGMENT_HEADER_SIZE,
  refFromBig, type StoredChunk,
} from '../../../../../actors/shared/tsdb/chunks/index.js';
import { CorruptError, memorySource } from '../../../../../actors/shared/tsdb/bytes/index.js';
import { encodeXor, Encoding } from '../../../../../actors/shared/tsdb/chunkenc/index.js';
import { createBlocksFromOpenMetrics } from '../../../../harness/promtool.js';
import { writeOpenMetrics } from '../../../../harness/openmetrics-gen.js';

function tmp(t: { teardown(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'segments-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function someChunk(i: number, n = 20): StoredChunk {
  const ts = Array.from({ length: n }, (_, k) => 1000 * k + i);
  return { encoding: Encoding.XOR, data: encodeXor(ts, new Float64Array(n).map((_, k) => k * i)) };
}

t.test('refs pack segment and offset exactly', async (t) => {
  const r = chunkRef(3, 0xfffffff0);
  t.equal(refSegment(r), 3); t.equal(refOffset(r), 0xfffffff0);
  t.equal(chunkRef(0, 8), 8);
  t.equal(refFromBig((5n << 32n) | 77n, 'index', 0), chunkRef(5, 77));
  t.throws(() => refFromBig(1n << 60n, 'index', 12), CorruptError);
  t.throws(() => chunkRef(1 << 22, 0), RangeError);
  t.equal(segmentFileName(0), '000001');
});

t.test('writer and reader round-trip; segments cut like Prometheus', async (t) => {
  const dir = join(tmp(t), 'chunks');
  const w = new ChunkSegmentWriter(dir, { segmentSize: 1024 });
  const series = Array.from({ length: 12 }, (_, s) => Array.from({ length: 1 + (s % 4) }, (_, k) => someChunk(s * 10 + k)));
  const refs: number[][] = [];
  for (const chs of series) refs.push(await w.writeChunks(chs));
  await w.close();
  const files = readdirSync(dir).sort();
  t.ok(files.length > 1, `${files.length} segments`);
  t.same(files, files.map((_, i) => segmentFileName(i)));
  for (const f of files) t.ok(readFileSync(join(dir, f)).length <= 1024, `${f} within segment size`);
  t.equal(refs[0]![0], SEGMENT_HEADER_SIZE, 'first chunk right after the header');
  const r = await ChunkSegmentReader.openDir(dir);
  t.teardown(() => r.close());
  for (let s = 0; s < series.length; s++) {
    for (let k = 0; k < series[s]!.length; k++) {
      const got = await r.chunk(refs[s]![k]!);
      t.equal(got.encoding, Encoding.XOR);
      t.same(Buffer.from(got.data), Buffer.from(series[s]![k]!.data));
    }
  }
  // A sequential scan sees the same records.
  let scanned = 0;
  for (const f of files) for (const rec of scanSegment(readFileSync(join(dir, f)), f)) { t.ok(rec.data.length > 0); scanned++; }
  t.equal(scanned, series.flat().length);
  // One huge chunk larger than the segment size still lands in a segment of its own.
  const big = join(tmp(t), 'chunks');
  const w2 = new ChunkSegmentWriter(big, { segmentSize: 64 });
  const [a] = await w2.writeChunks([someChunk(1, 30)]);
  const [b] = await w2.writeChunks([someChunk(2, 30)]);
  await w2.close();
  t.equal(refSegment(a!), 0); t.equal(refSegment(b!), 1);
});

t.test('reads promtool segments by ref, including remote-style memory sources', async (t) => {
  const dir = tmp(t);
  writeOpenMetrics(join(dir, 'in.om'), { series: 2, hours: 2, stepSec: 30 });
  const [block] = await createBlocksFromOpenMetrics(join(dir, 'in.om'), join(dir, 'data'));
  const cdir = join(dir, 'data', block!, 'chunks');
  const file = join(cdir, '000001');
  const bytes = readFileSync(file);
  const r = await ChunkSegmentReader.open([memorySource(bytes, file)]);
  let n = 0;
  for (const rec of scanSegment(bytes, file)) {
    const c = await r.chunk(chunkRef(0, rec.start));
    t.same(Buffer.from(c.data), Buffer.from(rec.data));
    n++;
  }
  t.ok(n > 0, `${n} promtool chunks read by ref`);
});

t.test('corruption is a CorruptError naming file and offset', async (t) => {
  const dir = join(tmp(t), 'chunks');
  const w = new ChunkSegmentWriter(dir);
  const refs = await w.writeChunks([someChunk(1), someChunk(2)]);
  await w.close();
  const file = join(dir, '000001');
  const good = readFileSync(file);

  const flipped = Buffer.from(good); flipped[refs[1]! + 10]! ^= 0x40;
  const r = await ChunkSegmentReader.open([memorySource(flipped, file)]);
  await t.rejects(r.chunk(refs[1]!), { code: 'TSDB_CORRUPT', message: /crc32c mismatch/, data: { file, offset: refs[1] } });
  t.same(Buffer.from((await r.chunk(refs[0]!)).data), Buffer.from(someChunk(1).data), 'other chunks still readable');
  t.throws(() => [...scanSegment(flipped, file)], { code: 'TSDB_CORRUPT' });

  const badMagic = Buffer.from(good); badMagic[0] = 0;
  await t.rejects(ChunkSegmentReader.open([memorySource(badMagic, file)]), { code: 'TSDB_CORRUPT', message: /magic/, data: { offset: 0 } });
  const badVersion = Buffer.from(good); badVersion[4] = 2;
  await t.rejects(ChunkSegmentReader.open([memorySource(badVersion, file)]), { message: /version 2/, data: { offset: 4 } });
  await t.rejects(ChunkSegmentReader.open([memorySource(good.subarray(0, 5), file)]), { code: 'TSDB_CORRUPT' });

  const truncated = good.subarray(0, good.length - 3);
  const rt = await ChunkSegmentReader.open([memorySource(truncated, file)]);
  await t.rejects(rt.chunk(refs[1]!), { code: 'TSDB_CORRUPT', data: { file, offset: refs[1] } });
  await t.rejects(rt.chunk(chunkRef(1, 8)), { code: 'TSDB_CORRUPT', message: /segment index 1 out of range/ });
  await t.rejects(rt.chunk(chunkRef(0, 1 << 30)), { code: 'TSDB_CORRUPT' });

  // A length field claiming 4 GiB: rejected from the bytes at hand, no allocation.
  const huge = Buffer.from(good);
  huge.set([0xff, 0xff, 0xff, 0xff, 0x0f], refs[0]!);
  const rh = await ChunkSegmentReader.open([memorySource(huge, file)]);
  await t.rejects(rh.chunk(refs[0]!), { code: 'TSDB_CORRUPT', message: /runs past end/ });
  writeFileSync(join(dir, '000001'), huge);
  const rf = await ChunkSegmentReader.openDir(dir);
  await t.rejects(rf.chunk(refs[0]!), { code: 'TSDB_CORRUPT' });
  await rf.close();
});
