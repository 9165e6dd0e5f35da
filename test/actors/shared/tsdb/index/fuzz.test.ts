// Seeded random mutation of a real promtool index: only CorruptIndexError or valid results.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { memorySource, type ByteSource } from '../../../../../actors/shared/tsdb/bytes/source.js';
import { CorruptIndexError } from '../../../../../actors/shared/tsdb/index/errors.js';
import { IndexReader } from '../../../../../actors/shared/tsdb/index/reader.js';
import type { MatcherSpec } from '../../../../../actors/shared/labels/matcher.js';
import { fixCrc, putBe32, regionsOf } from './corrupt-helpers.js';
import { genOpenMetrics, promtoolBlocks, rng } from './fixtures.js';

const ITERATIONS = 8000;
const { blocks, cleanup } = await promtoolBlocks(genOpenMetrics({ series: 24, samples: 300, stepSec: 30, seed: 3 }));
t.teardown(cleanup);
const original = new Uint8Array(await readFile(join(blocks[0]!, 'index')));
const regions = regionsOf(original);
const MATCHERS: MatcherSpec[][] = [
  [{ type: '=', name: '__name__', value: 'up' }],
  [{ type: '!=', name: 'env', value: '' }, { type: '=~', name: 'job', value: 'a.*|db' }],
  [{ type: '=', name: 'env', value: '' }],
];

/** A source that records the largest read, to show no read follows a corrupt length blindly. */
function recording(bytes: Uint8Array): { src: ByteSource; maxRead: () => number } {
  const inner = memorySource(bytes, 'fuzz-index');
  let max = 0;
  return {
    src: { ...inner, read: (o, l) => { max = Math.max(max, l); return inner.read(o, l); } },
    maxRead: () => max,
  };
}

function mutate(r: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(r() * n);
  const kind = pick(6);
  let b = Uint8Array.from(original);
  if (kind === 0) b = b.subarray(0, pick(b.length));
  else if (kind === 1) {
    const at = pick(b.length), n = 1 + pick(16);
    const out = new Uint8Array(b.length + n);
    out.set(b.subarray(0, at)); for (let i = 0; i < n; i++) out[at + i] = pick(256); out.set(b.subarray(at), at + n);
    b = out;
  } else {
    const edits = 1 + pick(4);
    for (let e = 0; e < edits; e++) {
      const at = pick(b.length - 4);
      if (kind === 2) b[at] ^= 1 << pick(8);
      else if (kind === 3) b[at] = pick(256);
      else putBe32(b, at, [0xffff_ffff, 0x7fff_ffff, 0x8000_0000, pick(0x1_0000_0000), pick(4096)][pick(5)]!);
    }
    // Most of the time re-seal every CRC so the damage reaches the parsers behind the checksums.
    if (r() < 0.8) for (const reg of regions) if (reg.start + reg.len + 4 <= b.length) fixCrc(b, reg);
  }
  return b;
}

async function exercise(src: ByteSource): Promise<void> {
  const ix = await IndexReader.open(src);
  for (const n of ix.labelNames()) {
    const vs = ix.labelValues(n);
    const p = await ix.postingsFor(n, vs);
    for (let i = 1; i < p.length; i++) if (p[i]! <= p[i - 1]!) throw new Error('unsorted postings result');
  }
  let k = 0;
  for (const ref of await ix.allPostings()) {
    const s = await ix.series(ref);
    if (!Array.isArray(s.labels) || !Array.isArray(s.chunks)) throw new Error('bad series shape');
    if (++k > 200) break;
  }
  for (const ms of MATCHERS) await ix.seriesMany(await ix.postingsForMatchers(ms));
}

t.test(`${ITERATIONS} seeded mutations of a promtool index`, async (t) => {
  const r = rng(20261124);
  let corrupt = 0, clean = 0;
  const unexpected: string[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const bytes = mutate(r);
    const { src, maxRead } = recording(bytes);
    try { await exercise(src); clean++; } catch (e) {
      if (e instanceof CorruptIndexError && typeof e.data?.offset === 'number' && e.data.file === 'fuzz-index') corrupt++;
      else unexpected.push(`iteration ${i}: ${(e as Error).stack ?? String(e)}`);
    }
    if (maxRead() > bytes.length) unexpected.push(`iteration ${i}: read ${maxRead()} bytes of a ${bytes.length}-byte file`);
  }
  t.same(unexpected.slice(0, 5), [], 'only CorruptIndexError or clean results');
  t.ok(corrupt > ITERATIONS / 4, `${corrupt} rejected as corrupt, ${clean} read cleanly`);
});
