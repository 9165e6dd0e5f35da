import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ByteReader, ByteWriter, CorruptError, crc32c, crc32cRange, fileSource, memorySource, readerAt, storedCrc,
} from '../../../../../actors/shared/tsdb/bytes/index.js';

function caught(fn: () => unknown): unknown {
  try { fn(); } catch (e) { return e; }
  return undefined;
}

t.test('uvarint and varint round-trip and match Go encodings', async (t) => {
  const w = new ByteWriter(4);
  const us = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
  const vs = [0, -1, 1, -64, 64, -(2 ** 40), 1700000000000, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  for (const u of us) w.uvarint(u);
  for (const v of vs) w.varint(v);
  const r = new ByteReader(w.finish(), 'mem');
  for (const u of us) t.equal(r.uvarint(), u);
  for (const v of vs) t.equal(r.varint(), v);
  t.equal(r.remaining, 0);
  // Go: binary.PutUvarint(300) = ac 02; PutVarint(-1) = 01; PutVarint(-65) = 81 01
  const g = new ByteWriter(); g.uvarint(300); g.varint(-1); g.varint(-65);
  t.same([...g.finish()], [0xac, 0x02, 0x01, 0x81, 0x01]);
});

t.test('64-bit values via bigint; numbers above 2^53 are rejected, not rounded', async (t) => {
  const w = new ByteWriter();
  w.uvarintBig(0xffff_ffff_ffff_ffffn); w.varintBig(-(2n ** 63n)); w.be64Big(0x0123_4567_89ab_cdefn);
  w.uvarintBig(2n ** 60n); w.be64Big(2n ** 60n);
  const r = new ByteReader(w.finish(), 'f');
  t.equal(r.uvarintBig(), 0xffff_ffff_ffff_ffffn);
  t.equal(r.varintBig(), -(2n ** 63n));
  t.equal(r.be64Big(), 0x0123_4567_89ab_cdefn);
  const e1 = caught(() => r.uvarint());
  t.ok(e1 instanceof CorruptError);
  const e2 = caught(() => new ByteReader(w.finish(), 'f', 0, w.length - 8).be64());
  t.ok(e2 instanceof CorruptError);
  // 11-byte / overflowing uvarint
  const bad = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]);
  t.ok(caught(() => new ByteReader(bad, 'f').uvarintBig()) instanceof CorruptError);
});

t.test('reads past the end throw CorruptError naming file and absolute offset', async (t) => {
  const r = new ByteReader(new Uint8Array([1, 2, 3]), 'dir/chunks/000001', 1000);
  r.u8();
  const e = caught(() => r.be32()) as CorruptError;
  t.ok(e instanceof CorruptError);
  t.equal(e.code, 'TSDB_CORRUPT');
  t.equal(e.retryable, false);
  t.same(e.data, { file: 'dir/chunks/000001', offset: 1001 });
  t.match(e.message, /dir\/chunks\/000001, offset 1001/);
  const trunc = new ByteReader(new Uint8Array([0x80, 0x80]), 'x', 7);
  const e2 = caught(() => trunc.uvarint()) as CorruptError;
  t.same(e2.data, { file: 'x', offset: 7 });
  t.ok(caught(() => new ByteReader(new Uint8Array([0xc3, 0x28]), 'x').utf8(2)) instanceof CorruptError);
  t.ok(caught(() => r.bytes(-1)) instanceof CorruptError);
});

t.test('fixed-width helpers, strings, alignment', async (t) => {
  const w = new ByteWriter(1);
  w.u8(7); w.be16(0xbeef); w.be32(0x85bd40dd); w.be64(2 ** 40 + 3); w.uvarintString('héllo'); w.align(16);
  t.equal(w.length, 32);
  const at = w.length; w.be32(0); w.putBe32(at, 0xdeadbeef);
  const r = new ByteReader(w.copy(), 'f');
  t.equal(r.u8(), 7); t.equal(r.be16(), 0xbeef); t.equal(r.be32(), 0x85bd40dd); t.equal(r.be64(), 2 ** 40 + 3);
  t.equal(r.uvarintString(), 'héllo');
  r.seek(32); t.equal(r.be32(), 0xdeadbeef);
  t.throws(() => w.uvarint(-1), RangeError);
});

t.test('crc32c: check value and piecewise computation', async (t) => {
  const b = Buffer.from('123456789');
  t.equal(crc32c(b), 0xe3069283);
  t.equal(crc32c(b.subarray(4), crc32c(b.subarray(0, 4))), 0xe3069283);
  t.equal(crc32c(new Uint8Array(0)), 0);
  t.equal(storedCrc(new Uint8Array([0xe3, 0x06, 0x92, 0x83]), 0), 0xe3069283);
});

t.test('crc32c: the JavaScript path (small inputs) and the native one (large) agree on every length and offset', async (t) => {
  // Seeded inputs of every length across the switch-over between the two paths, at odd offsets,
  // whole and piecewise; the reference is the native library called directly.
  const { crc32c: native } = await import('@node-rs/crc32');
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 255;
  const buf = new Uint8Array(2048).map(() => rnd());
  let bad = 0;
  for (let len = 0; len <= 700; len++) {
    const off = (len * 37) % 101;
    const view = buf.subarray(off, off + len);
    const want = native(Buffer.from(view), 0) >>> 0;
    if (crc32c(view) !== want || crc32cRange(buf, off, off + len) !== want) bad++;
    const cut = len >> 1;
    if (crc32c(view.subarray(cut), crc32c(view.subarray(0, cut))) !== want) bad++;
  }
  t.equal(bad, 0, 'no disagreement over lengths 0–700');
  t.equal(crc32cRange(Buffer.from('x123456789y'), 1, 10), 0xe3069283, 'check value through a range');
});

t.test('memory and file sources: exact ranges, past-end is CorruptError', async (t) => {
  const data = new Uint8Array(100).map((_, i) => i);
  const dir = mkdtempSync(join(tmpdir(), 'bytes-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'f');
  writeFileSync(path, data);
  for (const src of [memorySource(data, 'mem'), await fileSource(path)]) {
    t.equal(src.size, 100);
    t.same([...(await src.read(10, 3))], [10, 11, 12]);
    t.equal((await src.read(100, 0)).length, 0);
    await t.rejects(src.read(98, 3), { code: 'TSDB_CORRUPT', data: { file: src.name, offset: 98 } });
    await t.rejects(src.read(-1, 1), { code: 'TSDB_CORRUPT' });
    const r = await readerAt(src, 50, 4);
    t.equal(r.be32(), 0x32333435);
    t.same((caught(() => r.u8()) as CorruptError).data, { file: src.name, offset: 54 });
    await src.close(); await src.close();
  }
});
