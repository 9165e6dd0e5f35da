// Seeded random mutation of real (generator-made) XOR chunks: decoding must either succeed or throw
// CorruptError — never hang, crash with another error, or allocate beyond the chunk's bound.
import t from 'tap';
import { decodeXor, encodeXor, XorIterator } from '../../../../../actors/shared/tsdb/chunkenc/index.js';
import { CorruptError } from '../../../../../actors/shared/tsdb/bytes/index.js';
import { generateSeries } from '../../../../harness/openmetrics-gen.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let x = Math.imul(a ^ (a >>> 15), a | 1); x ^= x + Math.imul(x ^ (x >>> 7), x | 61); return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32; };
}

t.test('mutated chunks decode or fail with CorruptError only', async (t) => {
  const seeds: Uint8Array[] = [];
  for (const s of generateSeries({ series: 2, hours: 2, stepSec: 30, specials: true })) {
    const ts = s.samples.map((x) => x.t);
    const vs = new Float64Array(s.samples.map((x) => x.v));
    seeds.push(encodeXor(ts, vs, 0, Math.min(120, ts.length)));
  }
  const r = rng(12345);
  let ok = 0, corrupt = 0;
  const it = new XorIterator();
  for (let k = 0; k < 5000; k++) {
    const src = seeds[k % seeds.length]!;
    const m = new Uint8Array(src);
    const kind = k % 4;
    let bytes: Uint8Array = m;
    if (kind === 0) m[Math.floor(r() * m.length)] ^= 1 << Math.floor(r() * 8);
    else if (kind === 1) for (let j = 0; j < 4; j++) m[Math.floor(r() * m.length)] = Math.floor(r() * 256);
    else if (kind === 2) bytes = m.subarray(0, Math.floor(r() * m.length));
    else { m[0] = Math.floor(r() * 256); m[1] = Math.floor(r() * 256); }
    try {
      const d = decodeXor(bytes);
      if (d.ts.length > 1 + bytes.length * 4) t.fail("sample count beyond bound");
      ok++;
    } catch (e) {
      if (!(e instanceof CorruptError)) { t.fail(`unexpected error: ${String(e)}`); break; }
      corrupt++;
    }
    it.reset(bytes);
    let n = 0;
    while (it.next()) n++;
    if (n > 65535) t.fail('iterator overran');
  }
  t.ok(ok > 0 && corrupt > 0, `decoded ${ok}, rejected ${corrupt}`);
});
