import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChunkSegmentReader, ChunkSegmentWriter, chunkRef, type StoredChunk,
} from '../../../../../actors/shared/tsdb/chunks/index.js';
import { COALESCE_GAP_BYTES } from '../../../../../actors/shared/tsdb/chunks/segment-reader.js';
import { memorySource, type ByteSource } from '../../../../../actors/shared/tsdb/bytes/index.js';
import { encodeXor, Encoding } from '../../../../../actors/shared/tsdb/chunkenc/index.js';

function tmp(t: { teardown(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'segcoalesce-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** A chunk of `n` samples with irregular values, so its size grows with `n` (≈ 9 bytes/sample). */
function chunkOf(i: number, n: number): StoredChunk {
  const ts = Array.from({ length: n }, (_, k) => 15000 * k + i);
  const vs = new Float64Array(n).map((_, k) => Math.sin(k * 7.3 + i) * 1e6);
  return { encoding: Encoding.XOR, data: encodeXor(ts, vs) };
}

/** Wraps a source, recording every read. */
function counting(src: ByteSource, reads: { offset: number; length: number }[]): ByteSource {
  return {
    name: src.name, size: src.size,
    read: (offset, length) => { reads.push({ offset, length }); return src.read(offset, length); },
    close: () => src.close(),
  };
}

async function writeSegments(dir: string, chunks: StoredChunk[][], segmentSize?: number): Promise<{ refs: number[]; want: StoredChunk[]; files: Buffer[] }> {
  const w = new ChunkSegmentWriter(dir, segmentSize === undefined ? {} : { segmentSize });
  const refs: number[] = [], want: StoredChunk[] = [];
  for (const chs of chunks) { refs.push(...await w.writeChunks(chs)); want.push(...chs); }
  await w.close();
  return { refs, want, files: readdirSync(dir).sort().map((f) => readFileSync(join(dir, f))) };
}

t.test('chunks(refs) returns what chunk(ref) does, in request order, with few reads', async (t) => {
  const dir = join(tmp(t), 'chunks');
  // Small and large chunks (some larger than the first-read size) across several segments.
  const series = Array.from({ length: 40 }, (_, s) => Array.from({ length: 1 + (s % 3) }, (_, k) => chunkOf(s * 10 + k, s % 7 === 0 ? 200 : 20)));
  const { refs, want, files } = await writeSegments(dir, series, 16 * 1024);
  t.ok(files.length > 1, `${files.length} segments`);
  const reads: { offset: number; length: number }[] = [];
  const r = await ChunkSegmentReader.open(files.map((b, i) => counting(memorySource(b, `seg${i}`), reads)));
  const order = refs.map((_, i) => (i * 17) % refs.length);
  const asked = [...order.map((i) => refs[i]!), refs[3]!, refs[3]!];
  reads.length = 0;
  const got = await r.chunks(asked);
  t.equal(got.length, asked.length);
  for (let i = 0; i < asked.length; i++) {
    const single = await r.chunk(asked[i]!);
    t.equal(got[i]!.encoding, single.encoding);
    t.same(Buffer.from(got[i]!.data), Buffer.from(single.data), `chunk ${i}`);
  }
  for (let i = 0; i < order.length; i++) t.same(Buffer.from(got[i]!.data), Buffer.from(want[order[i]!]!.data));
  t.equal(new Set(order).size, refs.length, 'every chunk was asked for');
  t.same(await r.chunks([]), []);
});

t.test('one coalesced read per contiguous run; a large gap splits the read', async (t) => {
  const dir = join(tmp(t), 'chunks');
  const small = Array.from({ length: 30 }, (_, i) => chunkOf(i, 20));
  const filler = Array.from({ length: 8 }, (_, i) => chunkOf(100 + i, 1000));
  const { refs, files } = await writeSegments(dir, [small.slice(0, 15), filler, small.slice(15)]);
  t.equal(files.length, 1);
  const fillerBytes = refs[15 + filler.length]! - refs[15]!;
  t.ok(fillerBytes > COALESCE_GAP_BYTES, `filler of ${fillerBytes} bytes exceeds the gap`);
  const reads: { offset: number; length: number }[] = [];
  const r = await ChunkSegmentReader.open([counting(memorySource(files[0]!, 'seg'), reads)]);
  reads.length = 0;
  const wanted = [...refs.slice(0, 15), ...refs.slice(15 + filler.length)];
  const got = await r.chunks(wanted);
  t.equal(reads.length, 2, 'one read per side of the gap');
  t.ok(reads.every((x) => x.offset + x.length <= refs[15]! + 512 || x.offset >= refs[15 + filler.length]!), 'the filler is not read');
  for (let i = 0; i < wanted.length; i++) t.same(Buffer.from(got[i]!.data), Buffer.from(small[i]!.data));

  // A chunk longer than the span's bytes at its end is completed through chunk() (its first read,
  // then an exact one).
  reads.length = 0;
  const big = await r.chunks([refs[14]!, refs[15]!]);
  t.same(Buffer.from(big[1]!.data), Buffer.from(filler[0]!.data));
  t.equal(reads.length, 3);
});

t.test('corrupt chunks and bad refs fail exactly as chunk() does', async (t) => {
  const dir = join(tmp(t), 'chunks');
  const { refs, files } = await writeSegments(dir, [[chunkOf(1, 20), chunkOf(2, 20), chunkOf(3, 20)]]);
  const flipped = Buffer.from(files[0]!); flipped[refs[1]! + 10]! ^= 0x40;
  const r = await ChunkSegmentReader.open([memorySource(flipped, 'seg')]);
  await t.rejects(r.chunks([refs[0]!, refs[1]!, refs[2]!]), { code: 'TSDB_CORRUPT', message: /crc32c mismatch/, data: { file: 'seg', offset: refs[1] } });
  t.same((await r.chunks([refs[2]!, refs[0]!])).map((c) => c.data.length), [chunkOf(3, 20).data.length, chunkOf(1, 20).data.length], 'other chunks still readable');
  await t.rejects(r.chunks([refs[0]!, chunkRef(1, 8)]), { code: 'TSDB_CORRUPT', message: /segment index 1 out of range/ });
  await t.rejects(r.chunks([chunkRef(0, 1 << 30)]), { code: 'TSDB_CORRUPT' });
  await t.rejects(r.chunks([chunkRef(0, 2)]), { code: 'TSDB_CORRUPT', message: /outside segment/ });
  const truncated = files[0]!.subarray(0, files[0]!.length - 3);
  const rt = await ChunkSegmentReader.open([memorySource(truncated, 'seg')]);
  await t.rejects(rt.chunks([refs[0]!, refs[2]!]), { code: 'TSDB_CORRUPT', data: { file: 'seg', offset: refs[2] } });
});
