// Block writer and reader: layout, meta, selection, time trimming, remote-style sources, errors.
import t from 'tap';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBlock, type BlockSeriesInput } from '../../../../../actors/shared/tsdb/block/writer.js';
import { createBlocksFromOpenMetrics } from '../../../../../actors/shared/tsdb/block/backfill.js';
import { BlockReader } from '../../../../../actors/shared/tsdb/block/reader.js';
import { selectMerged } from '../../../../../actors/shared/tsdb/block/dump.js';
import { parseSeriesSelector } from '../../../../../actors/shared/tsdb/block/selector.js';
import { goQuote } from '../../../../../actors/shared/labels/go-quote.js';
import { BlockWriteError, BadSelectorError } from '../../../../../actors/shared/tsdb/block/errors.js';
import { memorySource } from '../../../../../actors/shared/tsdb/bytes/source.js';
import { STALE_NAN_HI, STALE_NAN_LO, STALE_NAN, isStaleNaN } from '../../../../../actors/shared/tsdb/chunkenc/float-bits.js';
import { Encoding } from '../../../../../actors/shared/tsdb/chunkenc/encoding.js';
import { labelsFromObject, labelsToString } from '../../../../../actors/shared/labels/labels.js';
import { Matcher } from '../../../../../actors/shared/labels/matcher.js';

const root = await mkdtemp(join(tmpdir(), 'block-test-'));
t.teardown(() => rm(root, { recursive: true, force: true }));

const T0 = 1_699_999_200_000; // a 2 h boundary, so the head cut rule gives 120-sample chunks
function series(obj: Record<string, string>, n: number, step = 15_000, f = (i: number) => i * 1.5): BlockSeriesInput & { ts: Float64Array } {
  const ts = new Float64Array(n), vs = new Float64Array(n);
  for (let i = 0; i < n; i++) { ts[i] = T0 + i * step; vs[i] = f(i); }
  return { labels: labelsFromObject(obj), ts, vs };
}

const INPUT = [
  series({ __name__: 'b', job: 'x' }, 300),
  series({ __name__: 'a', job: 'y' }, 50, 60_000),
  series({ __name__: 'a', job: 'x', zone: 'ü' }, 240, 30_000, (i) => (i === 7 ? STALE_NAN : i)),
  series({ __name__: 'a', job: 'x' }, 1),
  series({ __name__: 'c' }, 0),
];
const meta = await writeBlock(root, INPUT, { now: () => T0 });
const dir = join(root, meta.ulid);

t.test('writes the block layout atomically and a Prometheus meta', async (t) => {
  t.same((await readdir(root)).sort(), [meta.ulid], 'only the final directory remains');
  t.same((await readdir(dir)).sort(), ['chunks', 'index', 'meta.json', 'tombstones']);
  t.same(await readdir(join(dir, 'chunks')), ['000001']);
  t.same([...await readFile(join(dir, 'tombstones'))], [1, 0x30, 0xba, 0x30, 1, 0, 0, 0, 0]);
  t.equal(meta.minTime, T0);
  t.equal(meta.maxTime, T0 + 239 * 30_000 + 1, 'maxTime = last sample + 1');
  t.same(meta.stats, { numSamples: 300 + 50 + 240 + 1, numSeries: 4, numChunks: 3 + 1 + 2 + 1 });
  t.same(meta.compaction, { level: 1, sources: [meta.ulid] });
  const text = await readFile(join(dir, 'meta.json'), 'utf8');
  t.match(text, /^\{\n\t"ulid": "/, 'tab-indented Go JSON');
});

t.test('reader: series sorted by labels, labels names/values, samples bit-exact', async (t) => {
  const r = await BlockReader.open(dir);
  t.teardown(() => r.close());
  t.same(r.labelNames(), ['__name__', 'job', 'zone']);
  t.same(r.labelValues('__name__'), ['a', 'b']);
  t.same(r.labelValues('nope'), []);
  const all = await r.select([new Matcher('=~', '__name__', '.+')]);
  t.same(all.map((s) => labelsToString(s.labels)), ['{__name__="a", job="x"}', '{__name__="a", job="x", zone="ü"}', '{__name__="a", job="y"}', '{__name__="b", job="x"}']);
  const z = all[1]!;
  t.same(z.chunks.map((c) => [c.mint, c.maxt]), [[T0, T0 + 119 * 30_000], [T0 + 120 * 30_000, T0 + 239 * 30_000]], 'chunks of 120 samples');
  const chunk = await z.chunks[0]!.read();
  t.equal(chunk.encoding, Encoding.XOR);
  t.equal((chunk.data[0]! << 8) | chunk.data[1]!, 120, 'raw chunk bytes carry the sample count');
  const s = await z.samples();
  t.equal(s.ts.length, 240);
  t.ok(isStaleNaN(s.vs[7]!), 'stale marker kept');
  const u = new Uint32Array(s.vs.buffer, 7 * 8, 2);
  t.same([u[1], u[0]], [STALE_NAN_HI, STALE_NAN_LO], 'stale NaN bits exact');
  t.equal(s.vs[8], 8);
});

t.test('reader: time range keeps overlapping chunks and trims samples to [mint, maxt]', async (t) => {
  const r = await BlockReader.open(dir);
  t.teardown(() => r.close());
  const mint = T0 + 100 * 15_000, maxt = T0 + 130 * 15_000;
  const sel = await r.select([new Matcher('=', '__name__', 'b')], mint, maxt);
  t.equal(sel.length, 1);
  t.equal(sel[0]!.chunks.length, 2, 'two chunks overlap');
  const s = await sel[0]!.samples();
  t.equal(s.ts.length, 31);
  t.equal(s.ts[0], mint);
  t.equal(s.ts[30], maxt);
  t.same(await r.select([new Matcher('=', '__name__', 'a')], T0 + 240 * 30_000, T0 + 10 ** 9), [], 'no chunk in range: no series');
  t.same(await r.select([]), [], 'no matchers select nothing');
  t.ok(r.overlaps(meta.maxTime - 1, meta.maxTime + 5));
  t.notOk(r.overlaps(meta.maxTime, meta.maxTime + 5), 'maxTime is exclusive');
});

t.test('reader over in-memory sources (the remote-read seam)', async (t) => {
  const r = await BlockReader.fromSources({
    meta,
    index: memorySource(await readFile(join(dir, 'index')), 'index'),
    segments: [memorySource(await readFile(join(dir, 'chunks', '000001')), '000001')],
  });
  t.teardown(() => r.close());
  const sel = await r.select(parseSeriesSelector('{job="x"}'));
  t.equal(sel.length, 3);
  t.equal((await sel[2]!.samples()).ts.length, 300);
});

t.test('small segment size: several segment files, readable', async (t) => {
  const d = join(root, 'segs');
  const m = await writeBlock(d, INPUT, { segmentSize: 300 });
  const files = await readdir(join(d, m.ulid, 'chunks'));
  t.ok(files.length >= 3, `${files.length} segments`);
  const r = await BlockReader.open(join(d, m.ulid));
  t.teardown(() => r.close());
  let n = 0;
  for (const s of await r.select(parseSeriesSelector('{__name__=~".+"}'))) n += (await s.samples()).ts.length;
  t.equal(n, m.stats.numSamples);
});

t.test('readChunks: every chunk of a select in one batched call, same bytes as read()', async (t) => {
  const d = join(root, 'batched');
  const m = await writeBlock(d, INPUT, { segmentSize: 300 });
  const r = await BlockReader.open(join(d, m.ulid));
  t.teardown(() => r.close());
  const sel = await r.select(parseSeriesSelector('{__name__=~".+"}'));
  t.ok(sel.every((s) => s.block === r), 'series name their block');
  const chunks = sel.flatMap((s) => s.chunks).reverse();
  t.ok(chunks.length > 2);
  const got = await r.readChunks(chunks);
  t.equal(got.length, chunks.length);
  for (let i = 0; i < chunks.length; i++) {
    const one = await chunks[i]!.read();
    t.equal(got[i]!.encoding, one.encoding);
    t.same(Buffer.from(got[i]!.data), Buffer.from(one.data));
  }
});

t.test('merging the same series over two blocks (overlap deduplicated)', async (t) => {
  const d = join(root, 'merge');
  const a = series({ __name__: 'm' }, 10), b = series({ __name__: 'm' }, 20);
  const b2 = { labels: b.labels, ts: b.ts.subarray(5), vs: b.vs.subarray(5) };
  await writeBlock(d, [a]);
  await writeBlock(d, [b2]);
  const blocks = await Promise.all((await readdir(d)).sort().map((n) => BlockReader.open(join(d, n))));
  t.teardown(() => Promise.all(blocks.map((x) => x.close())));
  const merged = await selectMerged(blocks, parseSeriesSelector('m'), -Infinity, Infinity);
  t.equal(merged.length, 1);
  const s = await merged[0]!.samples();
  t.same([...s.ts], [...b.ts], 'union of timestamps, each once');
});

t.test('writer input errors leave nothing behind', async (t) => {
  const d = join(root, 'bad');
  await t.rejects(writeBlock(d, [series({ __name__: 'x' }, 0)]), BlockWriteError, 'no samples');
  await t.rejects(writeBlock(d, [series({ __name__: 'x' }, 3), series({ __name__: 'x' }, 4)]), BlockWriteError, 'duplicate series');
  const back = { labels: labelsFromObject({ __name__: 'x' }), ts: Float64Array.of(T0, T0 + 10, T0 + 5), vs: Float64Array.of(1, 2, 3) };
  await t.rejects(writeBlock(d, [back]), { code: 'TSDB_BLOCK_WRITE', message: /series \{__name__="x"\}.*increase/ });
  t.same(await readdir(d).catch(() => []), [], 'no block or temp dir left');
});

t.test('backfill: blocks at 2 h boundaries, duplicates dropped, disorder rejected', async (t) => {
  const f = join(root, 'small.om');
  const base = T0 / 1000;
  await writeFile(f, `# TYPE x gauge\nx{a="1"} 1 ${base + 7199}\nx{a="1"} 1 ${base + 7199}\nx{a="1"} 2 ${base + 7200}\nx{a="2"} 5 ${base + 1}\n# EOF\n`);
  const d = join(root, 'small');
  const metas = await createBlocksFromOpenMetrics(f, d);
  t.same(metas.map((m) => [m.minTime, m.maxTime, m.stats.numSamples, m.stats.numSeries]), [[T0 + 1000, T0 + 7199_000 + 1, 2, 2], [T0 + 7200_000, T0 + 7200_000 + 1, 1, 1]]);
  await writeFile(f, `x{a="1"} 1 ${base + 10}\nx{a="1"} 1 ${base + 5}\n# EOF\n`);
  await t.rejects(createBlocksFromOpenMetrics(f, join(root, 'ooo')), { code: 'TSDB_BLOCK_WRITE', message: /out of order/ });
  await writeFile(f, `x{a="1"} 1 ${base + 10}\nx{a="1"} 2 ${base + 10}\n# EOF\n`);
  await t.rejects(createBlocksFromOpenMetrics(f, join(root, 'dup')), { code: 'TSDB_BLOCK_WRITE', message: /duplicate sample/ });
  await writeFile(f, `x{a="1"} 1 ${base + 10}\n`);
  await t.rejects(createBlocksFromOpenMetrics(f, join(root, 'noeof')), { code: 'TSDB_OPENMETRICS_PARSE' });
  t.same(await readdir(root).then((ns) => ns.filter((n) => ['ooo', 'dup', 'noeof'].includes(n))), [], 'nothing written on bad input');
});

t.test('selector parsing', async (t) => {
  const m = parseSeriesSelector(`foo:bar{a="1", b!~'x|y', c=~\`.*\`,}`);
  t.same(m.map((x) => [x.name, x.type, x.value]), [['a', '=', '1'], ['b', '!~', 'x|y'], ['c', '=~', '.*'], ['__name__', '=', 'foo:bar']]);
  t.ok(parseSeriesSelector(`{__name__=~'(?s:.*)'}`)[0]!.matches('a\nb'), 'inline flags');
  for (const bad of ['', '{}', 'a{b=}', 'a{b="1"', 'a b', '{a~"x"}', 'm{__name__="x"}', '{a=~"("}']) {
    t.throws(() => parseSeriesSelector(bad), BadSelectorError, JSON.stringify(bad));
  }
});

t.test('goQuote follows strconv.Quote', async (t) => {
  t.equal(goQuote('a"b\\c\n\t\x01\x7f'), '"a\\"b\\\\c\\n\\t\\x01\\x7f"');
  t.equal(goQuote('é😀 ü'), '"é😀 ü"');
  t.equal(goQuote('\u00a0\u2028\u200b\ue000'), '"\\u00a0\\u2028\\u200b\\ue000"');
  t.equal(goQuote('\u{e0001}'), '"\\U000e0001"');
});
