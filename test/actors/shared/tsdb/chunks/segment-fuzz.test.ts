// Seeded random mutation of a real promtool-written chunk segment: scanning, reading by ref and
// decoding must give valid results or CorruptError only — never another error, a hang or a huge
// allocation (the reader is given a memory source, so any over-long read would be a CorruptError).
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChunkSegmentReader, chunkRef, scanSegment } from '../../../../../actors/shared/tsdb/chunks/index.js';
import { CorruptError, crc32c, memorySource } from '../../../../../actors/shared/tsdb/bytes/index.js';
import { decodeXor, Encoding } from '../../../../../actors/shared/tsdb/chunkenc/index.js';
import { createBlocksFromOpenMetrics } from '../../../../harness/promtool.js';
import { writeOpenMetrics } from '../../../../harness/openmetrics-gen.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let x = Math.imul(a ^ (a >>> 15), a | 1); x ^= x + Math.imul(x ^ (x >>> 7), x | 61); return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32; };
}

t.test('mutated promtool segments: results or CorruptError only', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'seg-fuzz-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeOpenMetrics(join(dir, 'in.om'), { series: 1, hours: 2, stepSec: 60, specials: true });
  const [block] = await createBlocksFromOpenMetrics(join(dir, 'in.om'), join(dir, 'data'));
  const file = join(dir, 'data', block!, 'chunks', '000001');
  const good = readFileSync(file);
  const records = [...scanSegment(good, file)];
  const offsets = records.map((r) => r.start);
  t.ok(offsets.length > 3, `${offsets.length} chunks in the segment`);
  const r = rng(99);
  let valid = 0, corrupt = 0, other = 0;
  for (let k = 0; k < 2000; k++) {
    const m = Buffer.from(good);
    const flips = 1 + Math.floor(r() * 3);
    if (k % 2 === 1) {
      // Mutate inside one chunk's data and fix its CRC, so the XOR decoder sees corrupt real bytes.
      const rec = records[Math.floor(r() * records.length)]!;
      const dataStart = rec.end - 4 - rec.data.length;
      for (let j = 0; j < flips; j++) m[dataStart + Math.floor(r() * rec.data.length)] = Math.floor(r() * 256);
      m.writeUInt32BE(crc32c(m.subarray(dataStart - 1, rec.end - 4)), rec.end - 4);
    } else for (let j = 0; j < flips; j++) m[Math.floor(r() * m.length)] = Math.floor(r() * 256);
    const bytes = k % 10 === 0 ? m.subarray(0, Math.floor(r() * m.length)) : m;
    try {
      for (const rec of scanSegment(bytes, file)) if (rec.encoding === Encoding.XOR) decodeXor(rec.data, { file, offset: rec.start });
      const reader = await ChunkSegmentReader.open([memorySource(bytes, file)]);
      for (const off of offsets) {
        try {
          const c = await reader.chunk(chunkRef(0, off));
          if (c.encoding === Encoding.XOR) decodeXor(c.data);
        } catch (e) { if (!(e instanceof CorruptError)) throw e; }
      }
      valid++;
    } catch (e) {
      if (e instanceof CorruptError) corrupt++;
      else { other++; t.fail(`unexpected ${String(e)}`); break; }
    }
  }
  t.equal(other, 0);
  t.ok(corrupt > 0, `valid ${valid}, corrupt ${corrupt}`);
});
