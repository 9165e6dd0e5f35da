// meta.json: byte-exact Go encoding (Prometheus and Thanos forms), validation, atomic files.
import t from 'tap';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMeta } from '../../../../../actors/shared/tsdb/meta/encode.js';
import { parseMeta, validateMeta } from '../../../../../actors/shared/tsdb/meta/decode.js';
import { MetaError } from '../../../../../actors/shared/tsdb/meta/errors.js';
import { readMetaFile, writeMetaFile } from '../../../../../actors/shared/tsdb/meta/files.js';
import { goQuote } from '../../../../../actors/shared/tsdb/meta/go-json.js';
import type { BlockMeta } from '../../../../../actors/shared/tsdb/meta/types.js';
import { genOpenMetrics, promtoolBlocks } from '../index/fixtures.js';

t.test('promtool-written meta.json round-trips byte for byte', async (t) => {
  const { blocks, cleanup } = await promtoolBlocks(genOpenMetrics({ series: 6, samples: 300, stepSec: 30 }));
  t.teardown(cleanup);
  t.ok(blocks.length >= 2);
  for (const b of blocks) {
    const text = await readFile(join(b, 'meta.json'), 'utf8');
    const m = await readMetaFile(b);
    t.equal(m.ulid, b.slice(-26), 'ulid is the directory name');
    t.equal(m.compaction.level, 1);
    t.same(m.compaction.sources, [m.ulid]);
    t.ok((m.stats.numSeries ?? 0) > 0 && (m.stats.numSamples ?? 0) > 0 && (m.stats.numChunks ?? 0) > 0);
    t.equal(encodeMeta(m), text, 'encodeMeta = Prometheus json.MarshalIndent output');
  }
});

const ULID_A = '01DN3SK96XDAEKRB1AN30AAW6E';
const ULID_B = '01DKZNX70TQQ0R025G66ZF1V5P';

t.test('Thanos form: Go field order, omitempty, HTML escaping, trailing newline', async (t) => {
  const m: BlockMeta = {
    ulid: ULID_A, minTime: 1567641600000, maxTime: 1568851200000,
    stats: { numSamples: 5397517846, numSeries: 8377876, numChunks: 67874256 },
    compaction: { level: 4, sources: [ULID_B, ULID_A], parents: [{ ulid: ULID_B, minTime: 1, maxTime: 2 }], deletable: true, hints: ['from-out-of-order'] },
    version: 1,
    thanos: {
      labels: { replica: '1', monitor: 'a<b>&c', 'cluster': 'eu1' },
      downsample: { resolution: 300000 }, source: 'compactor',
      segmentFiles: ['000001'],
      files: [{ relPath: 'chunks/000001', sizeBytes: 1313 }, { relPath: 'index', sizeBytes: 20, hash: { hashFunc: 'SHA256', value: 'ab' } }, { relPath: 'meta.json' }],
      indexStats: { seriesMaxSize: 1024 },
      extensions: { z: 1, a: [true, null] },
    },
  };
  const want = `{
\t"ulid": "${ULID_A}",
\t"minTime": 1567641600000,
\t"maxTime": 1568851200000,
\t"stats": {
\t\t"numSamples": 5397517846,
\t\t"numSeries": 8377876,
\t\t"numChunks": 67874256
\t},
\t"compaction": {
\t\t"level": 4,
\t\t"sources": [
\t\t\t"${ULID_B}",
\t\t\t"${ULID_A}"
\t\t],
\t\t"deletable": true,
\t\t"parents": [
\t\t\t{
\t\t\t\t"ulid": "${ULID_B}",
\t\t\t\t"minTime": 1,
\t\t\t\t"maxTime": 2
\t\t\t}
\t\t],
\t\t"hints": [
\t\t\t"from-out-of-order"
\t\t]
\t},
\t"version": 1,
\t"thanos": {
\t\t"labels": {
\t\t\t"cluster": "eu1",
\t\t\t"monitor": "a\\u003cb\\u003e\\u0026c",
\t\t\t"replica": "1"
\t\t},
\t\t"downsample": {
\t\t\t"resolution": 300000
\t\t},
\t\t"source": "compactor",
\t\t"segment_files": [
\t\t\t"000001"
\t\t],
\t\t"files": [
\t\t\t{
\t\t\t\t"rel_path": "chunks/000001",
\t\t\t\t"size_bytes": 1313
\t\t\t},
\t\t\t{
\t\t\t\t"rel_path": "index",
\t\t\t\t"size_bytes": 20,
\t\t\t\t"hash": {
\t\t\t\t\t"hashFunc": "SHA256",
\t\t\t\t\t"value": "ab"
\t\t\t\t}
\t\t\t},
\t\t\t{
\t\t\t\t"rel_path": "meta.json"
\t\t\t}
\t\t],
\t\t"index_stats": {
\t\t\t"series_max_size": 1024
\t\t},
\t\t"extensions": {
\t\t\t"a": [
\t\t\t\ttrue,
\t\t\t\tnull
\t\t\t],
\t\t\t"z": 1
\t\t},
\t\t"upload_time": "0001-01-01T00:00:00Z"
\t}
}
`;
  t.equal(encodeMeta(m), want);
  t.same(parseMeta(want), m, 'parse inverts encode');
  t.equal(encodeMeta(parseMeta(want)), want, 'and re-encodes identically');
});

t.test('minimal Thanos section: empty stats object, empty labels, index_stats {}', async (t) => {
  const m: BlockMeta = { ulid: ULID_A, minTime: 0, maxTime: 7200000, stats: {}, compaction: { level: 1 }, version: 1,
    thanos: { labels: {}, downsample: { resolution: 0 }, source: '' } };
  t.equal(encodeMeta(m), `{\n\t"ulid": "${ULID_A}",\n\t"minTime": 0,\n\t"maxTime": 7200000,\n\t"stats": {},\n\t"compaction": {\n\t\t"level": 1\n\t},\n\t"version": 1,\n\t"thanos": {\n\t\t"labels": {},\n\t\t"downsample": {\n\t\t\t"resolution": 0\n\t\t},\n\t\t"source": "",\n\t\t"index_stats": {},\n\t\t"upload_time": "0001-01-01T00:00:00Z"\n\t}\n}\n`);
  t.equal(encodeMeta(m, { trailingNewline: false }).endsWith('}'), true);
});

t.test('Go string quoting', async (t) => {
  t.equal(goQuote('a"b\\c\n\r\t\b\f\x01\x7f'), '"a\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\x7f"');
  t.equal(goQuote('<>&\u2028\u2029'), '"\\u003c\\u003e\\u0026\\u2028\\u2029"');
  t.equal(goQuote('é😀\ud800x'), '"é😀\\ufffdx"', 'lone surrogate becomes U+FFFD');
});

t.test('validation names the field', async (t) => {
  const base = { ulid: ULID_A, minTime: 0, maxTime: 10, stats: {}, compaction: { level: 1, sources: [ULID_A] }, version: 1 };
  const bad: [string, unknown, string][] = [
    ['not an object', 42, '(root)'],
    ['version 2', { ...base, version: 2 }, 'version'],
    ['version missing', { ...base, version: undefined }, 'version'],
    ['ulid missing', { ...base, ulid: undefined }, 'ulid'],
    ['ulid bad chars', { ...base, ulid: '01DN3SK96XDAEKRB1AN30AAW6U' }, 'ulid'],
    ['ulid overflow', { ...base, ulid: '81DN3SK96XDAEKRB1AN30AAW6E' }, 'ulid'],
    ['minTime string', { ...base, minTime: '0' }, 'minTime'],
    ['maxTime fractional', { ...base, maxTime: 1.5 }, 'maxTime'],
    ['maxTime before minTime', { ...base, minTime: 20 }, 'maxTime'],
    ['negative counter', { ...base, stats: { numSamples: -1 } }, 'stats.numSamples'],
    ['unsafe counter', { ...base, stats: { numChunks: 2 ** 60 } }, 'stats.numChunks'],
    ['bad source ulid', { ...base, compaction: { level: 1, sources: [ULID_A, 'x'] } }, 'compaction.sources[1]'],
    ['parents not array', { ...base, compaction: { level: 1, parents: {} } }, 'compaction.parents'],
    ['parent ulid', { ...base, compaction: { level: 1, parents: [{ ulid: 'nope', minTime: 0, maxTime: 1 }] } }, 'compaction.parents[0].ulid'],
    ['deletable not bool', { ...base, compaction: { level: 1, deletable: 'yes' } }, 'compaction.deletable'],
    ['thanos version 2', { ...base, thanos: { version: 2, labels: {}, downsample: { resolution: 0 }, source: '' } }, 'thanos.version'],
    ['thanos label value', { ...base, thanos: { labels: { a: 1 }, downsample: { resolution: 0 }, source: '' } }, 'thanos.labels.a'],
    ['resolution', { ...base, thanos: { labels: {}, downsample: { resolution: -5 }, source: '' } }, 'thanos.downsample.resolution'],
    ['file size', { ...base, thanos: { labels: {}, downsample: { resolution: 0 }, source: '', files: [{ rel_path: 'index', size_bytes: 'x' }] } }, 'thanos.files[0].size_bytes'],
    ['upload_time', { ...base, thanos: { labels: {}, downsample: { resolution: 0 }, source: '', upload_time: 'yesterday' } }, 'thanos.upload_time'],
  ];
  for (const [what, x, field] of bad) {
    const e = t.throws(() => validateMeta(x, 'b/meta.json'), MetaError, what) as unknown;
    if (e instanceof MetaError) {
      t.equal(e.code, 'TSDB_BAD_META');
      t.equal(e.data?.field, field, `${what}: names ${field}`);
      t.equal(e.data?.file, 'b/meta.json');
    }
  }
  t.throws(() => parseMeta('{"ulid": '), MetaError, 'invalid JSON');
  t.throws(() => parseMeta(Uint8Array.from([0x7b, 0xff, 0x7d])), MetaError, 'invalid UTF-8');
  const m = validateMeta({ ...base, ulid: ULID_A.toLowerCase(), extra: true, thanos: { labels: null, downsample: { resolution: 0 }, source: 'sidecar' } });
  t.equal(m.ulid, ULID_A, 'lower-case ULID accepted and normalised, unknown keys ignored');
  t.same(m.thanos?.labels, {}, 'null labels read as empty, as Thanos does');
});

t.test('files: atomic write, read back, missing file is a MetaError', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'athanor-meta-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const m: BlockMeta = { ulid: ULID_A, minTime: 0, maxTime: 10, stats: { numSeries: 1 }, compaction: { level: 1, sources: [ULID_A] }, version: 1 };
  const n = await writeMetaFile(dir, m);
  t.same(await readdir(dir), ['meta.json'], 'no temporary file left behind');
  t.equal(n, Buffer.byteLength(encodeMeta(m)));
  t.same(await readMetaFile(dir), m);
  await writeFile(join(dir, 'meta.json'), '{"version": 1}');
  await t.rejects(readMetaFile(dir), MetaError);
  await t.rejects(readMetaFile(join(dir, 'none')), MetaError);
});
