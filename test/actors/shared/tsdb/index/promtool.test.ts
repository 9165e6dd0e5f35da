// The index reader and writer against blocks made by promtool 2.42.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSource, memorySource } from '../../../../../actors/shared/tsdb/bytes/source.js';
import { IndexReader } from '../../../../../actors/shared/tsdb/index/reader.js';
import { IndexWriter } from '../../../../../actors/shared/tsdb/index/writer.js';
import { labelsToString, type Labels } from '../../../../../actors/shared/labels/labels.js';
import type { MatcherSpec } from '../../../../../actors/shared/labels/matcher.js';
import { genOpenMetrics, promtoolBlocks, promtoolDumpSeries } from './fixtures.js';

const { dir, blocks, cleanup } = await promtoolBlocks(genOpenMetrics({ series: 90, samples: 400, stepSec: 30, seed: 7 }));
t.teardown(cleanup);

async function openBlock(b: string): Promise<IndexReader> {
  return IndexReader.open(await fileSource(join(b, 'index')));
}

t.test('promtool made several blocks', async (t) => {
  t.ok(blocks.length >= 2, `${blocks.length} blocks`);
});

t.test('reader: every series, label names and values agree with promtool dump', async (t) => {
  const dumped = await promtoolDumpSeries(dir, '{__name__=~".+"}');
  const ours = new Set<string>();
  for (const b of blocks) {
    const r = await openBlock(b);
    const names = new Set<string>();
    const values = new Map<string, Set<string>>();
    for (const ref of await r.allPostings()) {
      const s = await r.series(ref);
      ours.add(labelsToString(s.labels));
      t.ok(s.chunks.length >= 1, 'series has chunks');
      for (let i = 1; i < s.chunks.length; i++) t.ok(s.chunks[i]!.mint > s.chunks[i - 1]!.maxt && s.chunks[i]!.ref > s.chunks[i - 1]!.ref);
      for (const l of s.labels) { names.add(l.name); (values.get(l.name) ?? values.set(l.name, new Set()).get(l.name)!).add(l.value); }
    }
    t.same(r.labelNames(), [...names].sort(), 'label names = names used by series');
    const all = await r.allPostings();
    t.same(await r.seriesMany(all), await Promise.all([...all].map((x) => r.series(x))), 'seriesMany = series one by one');
    for (const n of r.labelNames()) t.same(new Set(r.labelValues(n)), values.get(n), `values of ${n}`);
    const vs = r.labelValues('path');
    t.ok(vs.indexOf('/\uff01') < vs.indexOf('/😀'), 'values in UTF-8 byte order (U+FF01 before U+1F600)');
    await r.source.close();
  }
  t.same([...ours].sort(), [...dumped].sort(), 'same series as promtool tsdb dump');
});

t.test('writer: rewriting a promtool index from its read series is byte-identical', async (t) => {
  for (const b of blocks) {
    const original = await readFile(join(b, 'index'));
    const r = await IndexReader.open(memorySource(original, 'index'));
    const w = new IndexWriter();
    for (const s of r.symbols) w.addSymbol(s);
    for (const ref of await r.allPostings()) {
      const s = await r.series(ref);
      t.equal(w.addSeries(s.labels, s.chunks), ref, 'same series ref');
    }
    const out = w.finish();
    t.equal(out.length, original.length, 'same length');
    t.ok(Buffer.compare(Buffer.from(out), original) === 0, `byte-identical index for ${b}`);
  }
});

const m = (type: MatcherSpec['type'], name: string, value: string): MatcherSpec => ({ type, name, value });
const SELECTORS: [string, MatcherSpec[]][] = [
  ['up', [m('=', '__name__', 'up')]],
  ['{job="api"}', [m('=', 'job', 'api')]],
  ['{job!="api"}', [m('!=', 'job', 'api')]],
  ['{env=""}', [m('=', 'env', '')]],
  ['{env!=""}', [m('!=', 'env', '')]],
  ['{env=~".+"}', [m('=~', 'env', '.+')]],
  ['{env=~".*"}', [m('=~', 'env', '.*')]],
  ['{env=~"prod|"}', [m('=~', 'env', 'prod|')]],
  ['{env!~"prod|dev"}', [m('!~', 'env', 'prod|dev')]],
  ['{env!~""}', [m('!~', 'env', '')]],
  ['{nope="x"}', [m('=', 'nope', 'x')]],
  ['{nope!="x"}', [m('!=', 'nope', 'x')]],
  ['{nope=""}', [m('=', 'nope', '')]],
  ['{job=~"w.b"}', [m('=~', 'job', 'w.b')]],
  ['{job=~"(?i)API"}', [m('=~', 'job', '(?i)API')]],
  ['{job=~"ap"}', [m('=~', 'job', 'ap')]],
  ['{path=~"/.+"}', [m('=~', 'path', '/.+')]],
  ['{path=~"/日本|/😀"}', [m('=~', 'path', '/日本|/😀')]],
  ['{__name__=~"http.*", env!="prod"}', [m('=~', '__name__', 'http.*'), m('!=', 'env', 'prod')]],
  ['{__name__="temp_celsius", env=~"prod|"}', [m('=', '__name__', 'temp_celsius'), m('=~', 'env', 'prod|')]],
  ['{env="", job="db"}', [m('=', 'env', ''), m('=', 'job', 'db')]],
  ['{env=~"prod|", env!=""}', [m('=~', 'env', 'prod|'), m('!=', 'env', '')]],
  ['{job=~"api|db", job!="db", instance!~"host-1.*"}', [m('=~', 'job', 'api|db'), m('!=', 'job', 'db'), m('!~', 'instance', 'host-1.*')]],
  ['{job="api", job="db"}', [m('=', 'job', 'api'), m('=', 'job', 'db')]],
  ['{sid=~"1.", path!~"/(ü|x y)"}', [m('=~', 'sid', '1.'), m('!~', 'path', '/(ü|x y)')]],
];

t.test('postingsForMatchers selects the series promtool tsdb dump --match selects', async (t) => {
  const readers = await Promise.all(blocks.map(openBlock));
  for (const [sel, ms] of SELECTORS) {
    const ours = new Set<string>();
    for (const r of readers) {
      for (const ref of await r.postingsForMatchers(ms)) ours.add(labelsToString((await r.series(ref)).labels));
    }
    const theirs = await promtoolDumpSeries(dir, sel);
    t.same([...ours].sort(), [...theirs].sort(), `${sel}: ${theirs.size} series`);
  }
  for (const r of readers) await r.source.close();
});

t.test('postingsForMatchers edge cases', async (t) => {
  const r = await openBlock(blocks[0]!);
  const all = await r.allPostings();
  t.same(await r.postingsForMatchers([]), new Uint32Array(0), 'no matchers select nothing');
  t.same(await r.postingsForMatchers([m('=', '', '')]), all, '{""=""} is all postings');
  const byLabels = async (ms: MatcherSpec[]) => Promise.all([...await r.postingsForMatchers(ms)].map(async (x) => (await r.series(x)).labels));
  const noEnv = (await byLabels([m('=', 'env', '')])) as Labels[];
  t.ok(noEnv.length > 0 && noEnv.every((ls) => !ls.some((l) => l.name === 'env')), '{env=""} = series without env');
  await r.source.close();
});

t.test('labelValuesFor / labelNamesFor / postingsEach agree with the selected series', async (t) => {
  const r = await openBlock(blocks[0]!);
  for (const [sel, ms] of SELECTORS) {
    const selected = await r.seriesMany(await r.postingsForMatchers(ms));
    for (const name of ['env', 'path', 'job', 'nope']) {
      const want = [...new Set(selected.flatMap((s) => s.labels.filter((l) => l.name === name).map((l) => l.value)))];
      t.same(new Set(await r.labelValuesFor(name, ms)), new Set(want), `${sel}: values of ${name}`);
    }
    const names = [...new Set(selected.flatMap((s) => s.labels.map((l) => l.name)))].sort();
    t.same(await r.labelNamesFor(ms), names, `${sel}: names`);
  }
  const vs = r.labelValues('job');
  const each = await r.postingsEach('job', [...vs, 'absent', vs[0]!]);
  t.equal(each.length, vs.length + 2);
  for (const [i, v] of vs.entries()) t.same(each[i], await r.postings('job', v));
  t.same([...each[vs.length]!], [], 'absent value → empty');
  t.same(each[vs.length + 1], each[0], 'repeated value');
  t.same((await r.postingsEach('nope', ['a'])).map((p) => p.length), [0]);
  await r.source.close();
});
