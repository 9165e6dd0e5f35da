// Targeted bad input: each damage yields CorruptIndexError with file and offset, never a crash.
import t, { type Test } from 'tap';
import { memorySource } from '../../../../../actors/shared/tsdb/bytes/source.js';
import { CorruptIndexError } from '../../../../../actors/shared/tsdb/index/errors.js';
import { IndexReader } from '../../../../../actors/shared/tsdb/index/reader.js';
import { writeIndex } from '../../../../../actors/shared/tsdb/index/writer.js';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import { be32, fixCrc, fixTocCrc, putBe32, putBe64, regionsOf, sectionAt, tocOf } from './corrupt-helpers.js';

const series = Array.from({ length: 40 }, (_, i) => ({
  labels: labelsFromObject({ __name__: i < 20 ? 'a_metric' : 'b_metric', job: `job${i % 4}`, i: String(i).padStart(3, '0') }),
  chunks: [{ mint: i * 1000, maxt: i * 1000 + 500, ref: 8 + i * 100 }, { mint: i * 1000 + 600, maxt: i * 1000 + 900, ref: 8 + i * 100 + 50 }],
}));
const good = writeIndex(series);

/** Opens and reads everything; returns the error thrown, if any. */
async function readAllOf(bytes: Uint8Array): Promise<unknown> {
  try {
    const r = await IndexReader.open(memorySource(bytes, 'idx'));
    for (const n of r.labelNames()) await r.postingsFor(n, r.labelValues(n));
    for (const ref of await r.allPostings()) await r.series(ref);
    return undefined;
  } catch (e) { return e; }
}

async function expectCorrupt(t: Test, bytes: Uint8Array, what: string, message?: RegExp): Promise<void> {
  const e = await readAllOf(bytes);
  t.ok(e instanceof CorruptIndexError, `${what}: CorruptIndexError (${String((e as Error | undefined)?.message)})`);
  if (e instanceof CorruptIndexError) {
    t.equal(e.code, 'TSDB_CORRUPT_INDEX');
    t.equal(e.data?.file, 'idx', `${what}: names the file`);
    t.type(e.data?.offset, 'number', `${what}: names the offset`);
    if (message) t.match(e.message, message, what);
  }
}

const copy = () => Uint8Array.from(good);

t.test('a good index reads cleanly', async (t) => {
  t.equal(await readAllOf(good), undefined);
});

t.test('every truncation is rejected', async (t) => {
  let ok = 0;
  for (let n = 0; n < good.length; n += 7) {
    const e = await readAllOf(good.subarray(0, n));
    if (e instanceof CorruptIndexError) ok++; else t.fail(`truncated to ${n}: ${String(e)}`);
  }
  t.ok(ok > 0, `${ok} truncations rejected`);
});

t.test('header: wrong magic and versions', async (t) => {
  const b = copy(); b[0] = 0x12;
  await expectCorrupt(t, b, 'bad magic', /invalid magic/);
  for (const v of [1, 3, 0xff]) { const c = copy(); c[4] = v; await expectCorrupt(t, c, `version ${v}`, /unsupported index version/); }
});

t.test('CRC mismatches in every region the reader uses', async (t) => {
  const toc = tocOf(good);
  // The legacy label indices and label offset table are skipped by readers (as in Prometheus).
  const regions = regionsOf(good).filter((r) => !(r.start >= toc.labelIndices && r.start < toc.postings) && r.start !== toc.labelIndicesTable + 4);
  t.ok(regions.length > 40, `${regions.length} checksummed regions`);
  for (const r of regions) {
    const b = copy();
    b[r.start + r.len] ^= 0x01; // damage the stored CRC
    await expectCorrupt(t, b, `crc of region at ${r.start}`, /crc32c mismatch/);
  }
});

t.test('lengths and offsets past the end', async (t) => {
  const toc = tocOf(good);
  let b = copy(); putBe32(b, toc.symbols, 0x7fff_fff0);
  await expectCorrupt(t, b, 'symbol table length', /past end|runs past/);
  b = copy(); putBe32(b, toc.postingsTable, good.length);
  await expectCorrupt(t, b, 'postings table length', /past end|runs past/);
  b = copy(); putBe32(b, toc.symbols, be32(b, toc.symbols) + 16);
  await expectCorrupt(t, b, 'symbol table running into the series', /runs past end of section/);
  const firstList = toc.postings + ((4 - (toc.postings % 4)) % 4);
  b = copy(); putBe32(b, firstList, be32(b, firstList) + 4);
  await expectCorrupt(t, b, 'postings list running into the next', /runs into the next list/);
  for (const field of [0, 1, 5]) {
    b = copy(); putBe64(b, good.length - 52 + field * 8, good.length + 1000); fixTocCrc(b);
    await expectCorrupt(t, b, `toc field ${field} past end`, /outside the file/);
  }
  b = copy(); putBe64(b, good.length - 52 + 40, 2 ** 53 + 8); fixTocCrc(b);
  await expectCorrupt(t, b, 'toc offset beyond 2^53');
  const r = await IndexReader.open(memorySource(good, 'idx'));
  await t.rejects(r.series(0), CorruptIndexError, 'series ref 0 is in the header');
  await t.rejects(r.series(good.length), CorruptIndexError, 'series ref past the end');
  await t.rejects(r.series(-1), CorruptIndexError, 'negative ref');
  await t.rejects(r.series((toc.series + 16) / 16 + 0.5), CorruptIndexError, 'fractional ref');
  const misaligned = Math.floor(toc.series / 16) + 2; // likely in the middle of an entry
  const e = await r.series(misaligned).then(() => undefined, (x: unknown) => x);
  t.ok(e === undefined || e instanceof CorruptIndexError, 'a ref into the middle of an entry fails cleanly');
});

t.test('absurd counts with valid CRCs', async (t) => {
  const toc = tocOf(good);
  let b = copy(); putBe32(b, toc.symbols + 4, 0xffff_ffff); fixCrc(b, sectionAt(b, toc.symbols));
  await expectCorrupt(t, b, 'symbol count', /count .* exceeds/);
  b = copy(); putBe32(b, toc.postingsTable + 4, 0xffff_fff0); fixCrc(b, sectionAt(b, toc.postingsTable));
  await expectCorrupt(t, b, 'postings table count', /too large/);
  const firstList = toc.postings + ((4 - (toc.postings % 4)) % 4);
  b = copy(); putBe32(b, firstList + 4, 0x4000_0000); fixCrc(b, sectionAt(b, firstList));
  await expectCorrupt(t, b, 'postings count', /refs need/);
});

t.test('unsorted and invalid UTF-8 symbols with valid CRCs', async (t) => {
  const toc = tocOf(good);
  // Symbols start with "000","001"…: swap the last digit of the first two so they are out of order.
  const s0 = toc.symbols + 8; // first symbol's uvarint length
  let b = copy();
  t.equal(b[s0], 3, 'first symbol is 3 bytes long');
  const s1 = s0 + 4;
  [b[s0 + 3], b[s1 + 3]] = [b[s1 + 3]!, b[s0 + 3]!];
  fixCrc(b, sectionAt(b, toc.symbols));
  await expectCorrupt(t, b, 'unsorted symbols', /not strictly sorted/);
  b = copy(); b[s1 + 1] = 0xff; fixCrc(b, sectionAt(b, toc.symbols));
  await expectCorrupt(t, b, 'invalid utf-8 symbol', /invalid utf-8/);
  b = copy(); b[s1 + 1] = 0x30; b[s1 + 2] = 0x30; b[s1 + 3] = 0x30; fixCrc(b, sectionAt(b, toc.symbols));
  await expectCorrupt(t, b, 'duplicate symbol', /not strictly sorted/);
});

t.test('unsorted postings and bad symbol refs with valid CRCs', async (t) => {
  const toc = tocOf(good);
  const firstList = toc.postings + ((4 - (toc.postings % 4)) % 4);
  let b = copy();
  const n = be32(b, firstList + 4);
  t.ok(n >= 2);
  const a = be32(b, firstList + 8);
  putBe32(b, firstList + 8, be32(b, firstList + 12)); putBe32(b, firstList + 12, a);
  fixCrc(b, sectionAt(b, firstList));
  await expectCorrupt(t, b, 'unsorted postings', /not strictly increasing/);
  // First series: rewrite its first label name ref to a huge symbol index (same varint width).
  const regions = regionsOf(good);
  const firstSeries = regions[1]!;
  b = copy();
  t.equal(b[firstSeries.start], 3, 'three labels');
  b[firstSeries.start + 1] = 0x7f; fixCrc(b, firstSeries);
  await expectCorrupt(t, b, 'symbol ref out of range', /symbol ref .* out of range/);
});
