// IndexReader.withSource: a per-request view reads through the given source and answers the same.
import t from 'tap';
import { memorySource, type ByteSource } from '../../../../../actors/shared/tsdb/bytes/source.js';
import { IndexReader } from '../../../../../actors/shared/tsdb/index/reader.js';
import { writeIndex } from '../../../../../actors/shared/tsdb/index/writer.js';
import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';

const series = Array.from({ length: 200 }, (_, i) => ({ labels: labelsFromObject({ __name__: 'm', i: String(i).padStart(3, '0'), job: i % 2 ? 'a' : 'b' }), chunks: [] }));
const bytes = writeIndex(series);

function counting(src: ByteSource): { src: ByteSource; reads: number[] } {
  const reads: number[] = [];
  return { reads, src: { name: src.name, size: src.size, close: () => src.close(), read: async (o, l) => { reads.push(l); return src.read(o, l); } } };
}

t.test('a view reads through its own source; the reader and other views are untouched', async (t) => {
  const base = counting(memorySource(bytes, 'idx'));
  const reader = await IndexReader.open(base.src);
  const atOpen = base.reads.length;
  const a = counting(reader.source), b = counting(reader.source);
  const va = reader.withSource(a.src), vb = reader.withSource(b.src);
  const pa = await va.postings('job', 'a');
  t.equal(pa.length, 100);
  t.ok(a.reads.length > 0, 'the view read through its source');
  t.equal(b.reads.length, 0, 'another view saw none of it');
  t.same(await vb.postings('job', 'a'), pa, 'views answer alike');
  t.same((await va.seriesMany(pa.subarray(0, 5))).map((e) => e.labels), (await reader.seriesMany(pa.subarray(0, 5))).map((e) => e.labels));
  t.same(va.labelNames(), reader.labelNames(), 'decoded tables are shared');
  t.equal(va.source, a.src);
  t.not(reader.source, a.src, 'the reader keeps its own source');
  t.ok(base.reads.length > atOpen, 'views read the bytes of the underlying source');
});
