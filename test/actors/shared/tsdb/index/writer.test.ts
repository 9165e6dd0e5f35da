// Index writer: contract checks and write → read round trips on synthetic data.
import t from 'tap';
import { memorySource } from '../../../../../actors/shared/tsdb/bytes/source.js';
import { IndexWriteError } from '../../../../../actors/shared/tsdb/index/errors.js';
import { IndexReader } from '../../../../../actors/shared/tsdb/index/reader.js';
import { IndexWriter, symbolsOf, writeIndex } from '../../../../../actors/shared/tsdb/index/writer.js';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';

const L = labelsFromObject;

t.test('round trip keeps labels, chunk metas (negative deltas, large refs, negative times)', async (t) => {
  const series = [
    { labels: L({ __name__: 'a', x: '1' }), chunks: [] },
    { labels: L({ __name__: 'a', x: '2' }), chunks: [{ mint: -5000, maxt: -10, ref: 2 ** 40 + 8 }] },
    // overlapping chunks (mint below previous maxt) and a ref that goes down: Go wraps both deltas.
    { labels: L({ __name__: 'b' }), chunks: [{ mint: 100, maxt: 900, ref: 4 * 2 ** 32 + 100 }, { mint: 500, maxt: 1000, ref: 3 * 2 ** 32 + 8 }, { mint: 2 ** 50, maxt: 2 ** 50 + 1, ref: 2 ** 52 }] },
    { labels: L({ __name__: 'b', 'é': '😀', z: '\uff01' }), chunks: [{ mint: 0, maxt: 0, ref: 0 }] },
  ];
  const bytes = writeIndex(series);
  const r = await IndexReader.open(memorySource(bytes, 'w'));
  const all = await r.allPostings();
  t.equal(all.length, series.length);
  for (let i = 0; i < series.length; i++) t.same(await r.series(all[i]!), series[i], `series ${i}`);
  t.same(r.symbols, symbolsOf(series));
  t.same(r.labelNames(), ['__name__', 'x', 'z', 'é']);
  t.same([...await r.postings('__name__', 'b')], [all[2], all[3]]);
  t.same([...await r.postings('__name__', 'nope')], []);
  t.same([...await r.postings('nope', 'b')], []);
});

t.test('an empty index is valid', async (t) => {
  const r = await IndexReader.open(memorySource(writeIndex([]), 'empty'));
  t.same(r.labelNames(), []);
  t.same([...await r.allPostings()], []);
  t.same([...await r.postingsForMatchers([{ type: '!=', name: 'a', value: 'b' }])], []);
});

t.test('extra symbols are kept (compaction writes symbols of deleted series)', async (t) => {
  const series = [{ labels: L({ a: 'b' }), chunks: [] }];
  const r = await IndexReader.open(memorySource(writeIndex(series, ['a', 'b', 'c', 'zz']), 'x'));
  t.same(r.symbols, ['a', 'b', 'c', 'zz']);
  t.equal(r.symbol(3), 'zz');
  t.throws(() => r.symbol(4));
});

t.test('misuse is rejected like Prometheus does', async (t) => {
  const w = new IndexWriter();
  w.addSymbol('a'); w.addSymbol('b');
  t.throws(() => w.addSymbol('b'), IndexWriteError, 'duplicate symbol');
  t.throws(() => w.addSymbol('A'), IndexWriteError, 'symbols out of order');
  t.throws(() => w.addSeries([], []), IndexWriteError, 'empty label set (Prometheus compares it with the empty last series)');
  w.addSeries(L({ a: 'b' }), []);
  t.throws(() => w.addSymbol('c'), IndexWriteError, 'symbol after series');
  t.throws(() => w.addSeries(L({ a: 'b' }), []), IndexWriteError, 'duplicate series');
  t.throws(() => w.addSeries(L({ a: 'a' }), []), IndexWriteError, 'series out of order');
  t.throws(() => w.addSeries(L({ b: 'c' }), []), IndexWriteError, 'unknown symbol');
  w.finish();
  t.throws(() => w.finish(), IndexWriteError, 'finish twice');
});

t.test('series refs are 16-byte aligned offsets, big entries read past the first guess', async (t) => {
  const long = 'v'.repeat(3000);
  const series = [{ labels: L({ a: long }), chunks: Array.from({ length: 500 }, (_, i) => ({ mint: i * 10, maxt: i * 10 + 5, ref: 8 + i * 64 })) },
    { labels: L({ b: 'x' }), chunks: [] }];
  const w = new IndexWriter();
  for (const s of symbolsOf(series)) w.addSymbol(s);
  const refs = series.map((s) => w.addSeries(s.labels, s.chunks));
  const bytes = w.finish();
  t.equal(w.seriesMaxSize, (refs[1]! - refs[0]!) * 16, 'series_max_size as Thanos computes it');
  t.ok(w.seriesMaxSize > 1000, `${w.seriesMaxSize} bytes for 500 chunk metas`);
  const r = await IndexReader.open(memorySource(bytes, 'big'), { seriesSizeHint: 64 });
  t.same([...await r.allPostings()], refs);
  for (const [i, ref] of refs.entries()) t.same(await r.series(ref), series[i]);
  t.same(await r.seriesMany([...refs].reverse()), [...series].reverse(), 'seriesMany in any order');
});

t.test('seriesMany equals series(ref) one by one, across read runs', async (t) => {
  const series = Array.from({ length: 3000 }, (_, i) => ({
    labels: labelsFromObject({ __name__: 'm', i: String(i).padStart(5, '0'), pad: 'p'.repeat(i % 50) }),
    chunks: [{ mint: i, maxt: i + 1, ref: 8 + i * 16 }],
  }));
  const r = await IndexReader.open(memorySource(writeIndex(series), 'many'));
  const all = await r.allPostings();
  const got = await r.seriesMany(all);
  t.equal(got.length, series.length);
  t.same(got, series);
  const pick = [all[2999]!, all[0]!, all[1500]!, all[0]!];
  t.same(await r.seriesMany(pick), [series[2999], series[0], series[1500], series[0]]);
  t.same(await r.seriesMany([]), []);
});
