// Sampled postings offset table: a reader keeping every Nth table entry answers like the full one.
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { fileSource, memorySource, type ByteSource } from '../../../../../actors/shared/tsdb/bytes/source.js';
import { IndexReader } from '../../../../../actors/shared/tsdb/index/reader.js';
import { writeIndex } from '../../../../../actors/shared/tsdb/index/writer.js';
import { compareLabels, labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import type { MatcherSpec } from '../../../../../actors/shared/labels/matcher.js';
import { genOpenMetrics, promtoolBlocks } from './fixtures.js';

const STEPS = [1, 2, 32];

const MATCHERS: MatcherSpec[][] = [
  [{ type: '=', name: '__name__', value: 'up' }],
  [{ type: '=', name: '__name__', value: 'nope' }],
  [{ type: '=', name: 'nope', value: 'x' }],
  [{ type: '=~', name: 'job', value: 'api|db' }],
  [{ type: '=~', name: 'instance', value: 'host-1.*' }],
  [{ type: '!=', name: 'env', value: 'prod' }],
  [{ type: '!~', name: 'path', value: '/a.*' }],
  [{ type: '=', name: 'env', value: '' }],
  [{ type: '=~', name: 'sid', value: '1.*5' }, { type: '!=', name: 'job', value: 'db' }],
  [{ type: '=', name: 'sid', value: '0' }],
  [{ type: '=', name: 'sid', value: '9999' }],
  [{ type: '=~', name: 'sid', value: '99.|4' }],
  [{ type: '=~', name: 'g', value: 'g-0.*' }, { type: '=', name: 'h', value: 'h-3' }],
  [{ type: '!~', name: 'g', value: '.+' }],
];

/** Asserts that readers with sampling 1, 2 and 32 answer every query like the unsampled one. */
async function sameAnswers(t: Test, open: () => Promise<ByteSource>): Promise<void> {
  const full = await IndexReader.open(await open());
  const names = full.labelNames();
  for (const step of STEPS) {
    const src = await open();
    const r = await IndexReader.open(src, { postingsOffsetsSampling: step });
    t.ok(r.isSampled, `sampling ${step}`);
    t.same(r.labelNames(), names, `labelNames, sampling ${step}`);
    for (const n of [...names, 'nope']) {
      const want = full.labelValues(n);
      const got = await r.labelValuesAsync(n);
      t.same(got, want, `labelValues(${n}), sampling ${step}`);
      const probe = [...want.filter((_, i) => i % 7 === 0), 'absent', ''];
      const a = await full.postingsEach(n, probe), b = await r.postingsEach(n, probe);
      t.ok(a.every((l, i) => Buffer.compare(Buffer.from(l.buffer, l.byteOffset, l.byteLength), Buffer.from(b[i]!.buffer, b[i]!.byteOffset, b[i]!.byteLength)) === 0), `postingsEach(${n}), sampling ${step}`);
    }
    t.same([...await r.allPostings()], [...await full.allPostings()], `allPostings, sampling ${step}`);
    for (const ms of MATCHERS) {
      const label = `${JSON.stringify(ms)}, sampling ${step}`;
      t.same([...await r.postingsForMatchers(ms)], [...await full.postingsForMatchers(ms)], `postingsForMatchers ${label}`);
      t.same(await r.labelValuesFor('job', ms), await full.labelValuesFor('job', ms), `labelValuesFor ${label}`);
      t.same(await r.labelNamesFor(ms), await full.labelNamesFor(ms), `labelNamesFor ${label}`);
    }
    t.throws(() => r.labelValues('job'), RangeError, 'sync labelValues refuses on a sampled reader');
    await src.close();
  }
  await full.source.close();
}

t.test('promtool-made blocks', async (t) => {
  const { blocks, cleanup } = await promtoolBlocks(genOpenMetrics({ series: 300, samples: 20, stepSec: 30, seed: 11 }));
  t.teardown(cleanup);
  for (const b of blocks) await sameAnswers(t, () => fileSource(join(b, 'index')));
});

t.test('synthetic 10k-series index', async (t) => {
  const series = Array.from({ length: 10_000 }, (_, i) => ({
    labels: labelsFromObject({ __name__: ['up', 'http_requests_total', 'temp'][i % 3]!, sid: String(i), g: `g-${i % 97}`, h: `h-${i % 13}`, job: ['api', 'db', 'wéb'][i % 3]!, ...(i % 5 === 0 ? { env: 'prod' } : {}) }),
    chunks: [],
  })).sort((a, b) => compareLabels(a.labels, b.labels));
  const bytes = writeIndex(series);
  await sameAnswers(t, async () => memorySource(bytes, 'synthetic'));
  const mem = memorySource(bytes, 'synthetic');
  let reads = 0;
  const counting = { ...mem, name: mem.name, size: mem.size, read: (o: number, l: number) => { reads++; return mem.read(o, l); } };
  const step32 = await IndexReader.open(counting, { postingsOffsetsSampling: 32 });
  t.ok(step32.isSampled);
  const first = await step32.postingsEach('sid', ['17', '4242']);
  const afterFirst = reads;
  t.same(await step32.postingsEach('sid', ['17', '4242']), first, 'same lists again');
  t.equal(reads - afterFirst, 2, 'a repeated lookup reads only the two postings lists: its table spans are remembered');
});

t.test('sampling must be a positive integer', async (t) => {
  const bytes = writeIndex([{ labels: labelsFromObject({ a: 'b' }), chunks: [] }]);
  await t.rejects(IndexReader.open(memorySource(bytes, 'x'), { postingsOffsetsSampling: 0 }));
});
