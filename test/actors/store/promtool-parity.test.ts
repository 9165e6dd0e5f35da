import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { uploadBlock } from '../../../actors/shared/block/upload.js';
import { createBucket } from '../../../actors/shared/objstore/factory.js';
import { FilesystemBucket } from '../../../actors/shared/objstore/filesystem.js';
import type { Bucket } from '../../../actors/shared/objstore/bucket.js';
import { seriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import { parseSeriesSelector } from '../../../actors/shared/tsdb/block/selector.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { IndexCache } from '../../../actors/store/index-cache.js';
import { openMetricsText } from '../../harness/openmetrics-gen.js';
import { createBlocksFromOpenMetrics, promtoolDump } from '../../harness/promtool.js';
import { startS3rver } from '../../harness/s3rver.js';
import { countingBucket } from './block-fixtures.js';
import { collectSeries, dumpLines, promtoolLines } from './series-decode.js';

const START = 1699999200_000;
const H = 3600_000;
// Selectors and time ranges: every matcher type, ranges inside one block, across block edges, outside.
const CASES: { match: string; min?: number; max?: number }[] = [
  { match: '{__name__=~"gen_.+"}' },
  { match: '{__name__="gen_requests_total"}', min: START + H, max: START + 3 * H },
  { match: '{__name__=~"gen_temp.*", instance!="host-1:9100"}', min: START + 90 * 60_000, max: START + 5 * H },
  { match: '{__name__=~".+", le=~"0\\\\.5|\\\\+Inf"}' },
  { match: '{__name__!~"gen_req.*|gen_rpc.*", __name__=~"gen.*"}', min: START + 2 * H - 1, max: START + 2 * H + 1 },
  { match: '{job="api", instance="host-2:9100"}', min: START - 10 * H, max: START + 30 * 60_000 },
  { match: '{__name__="does_not_exist"}' },
];

t.test('store Series equals promtool tsdb dump on promtool-made blocks (FILESYSTEM and S3)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-parity-'));
  const s3 = await startS3rver(['blocks']);
  t.teardown(async () => { await s3.stop(); await rm(dir, { recursive: true, force: true }); });
  const input = join(dir, 'in.om');
  await writeFile(input, openMetricsText({ hours: 6, series: 4, seed: 7 }));
  const data = join(dir, 'data');
  const ids = await createBlocksFromOpenMetrics(input, data);
  t.ok(ids.length >= 3, `promtool made ${ids.length} blocks`);

  const buckets: [string, Bucket][] = [
    ['FILESYSTEM', new FilesystemBucket({ directory: join(dir, 'bucket') })],
    ['S3', createBucket({ type: 'S3', config: s3.config('blocks'), prefix: '' })],
  ];
  let total = 0;
  for (const [kind, raw] of buckets) {
    for (const id of ids) {
      const meta = await uploadBlock(raw, join(data, id), { labels: { cluster: 'eu' } });
      if (kind === 'FILESYSTEM') total += (meta.thanos?.files ?? []).reduce((a, f) => a + (f.sizeBytes ?? 0), 0);
    }
    const bkt = countingBucket(raw);
    const store = new BucketStore({ bucket: bkt, indexCache: new IndexCache({ maxBytes: 64 << 20 }) });
    t.teardown(() => store.close());
    const rep = await store.sync();
    t.same(rep.loaded, [...ids].sort(), `${kind}: every block loaded`);
    t.ok(bkt.stats.bytes < total / 2, `${kind}: loading read ${bkt.stats.bytes} of ${total} bytes (index-header only)`);

    for (const c of CASES) {
      const min = c.min ?? -1e15, max = c.max ?? 1e15;
      const want = promtoolLines(await promtoolDump(data, { match: c.match, ...(c.min !== undefined ? { minTime: c.min } : {}), ...(c.max !== undefined ? { maxTime: c.max } : {}) }));
      const req = seriesRequest({ matchers: parseSeriesSelector(c.match).map((m) => ({ type: m.type, name: m.name, value: m.value })), minTime: min, maxTime: max, responseBatchSize: 7 });
      const got = await collectSeries(store, req);
      t.same(got.warnings, [], `${kind} ${c.match}: no warnings`);
      t.ok(got.series.every((s) => s.labels.some((l) => l.name === 'cluster' && l.value === 'eu')), `${kind} ${c.match}: external label on every series`);
      t.same(dumpLines(got.series, min, max, ['cluster']), want, `${kind} ${c.match} [${c.min ?? '-∞'}, ${c.max ?? '∞'}]: ${want.length} samples equal`);
    }

    // External-label matchers select or skip whole blocks.
    const other = await collectSeries(store, seriesRequest({ matchers: [{ type: '=', name: 'cluster', value: 'us' }, { type: '=~', name: '__name__', value: '.+' }] }));
    t.equal(other.series.length, 0, `${kind}: cluster="us" selects nothing`);

    // Bytes fetched for one narrow query stay far below the blocks' size; a warm cache reads less.
    const fresh = new BucketStore({ bucket: bkt, indexCache: new IndexCache({ maxBytes: 64 << 20 }) });
    t.teardown(() => fresh.close());
    await fresh.sync();
    bkt.stats.reset();
    const narrow = seriesRequest({ matchers: [{ type: '=', name: '__name__', value: 'gen_requests_total' }, { type: '=', name: 'instance', value: 'host-1:9100' }], minTime: START + H, maxTime: START + 2 * H });
    const cold = await collectSeries(fresh, narrow);
    const coldBytes = bkt.stats.bytes;
    bkt.stats.reset();
    const warm = await collectSeries(fresh, narrow);
    t.ok(cold.series.length > 0 && cold.series.length === warm.series.length, `${kind}: narrow query answers`);
    t.ok(coldBytes < total / 4, `${kind}: cold narrow query fetched ${coldBytes} of ${total} bytes`);
    t.ok(bkt.stats.bytes < coldBytes, `${kind}: warm index cache fetched ${bkt.stats.bytes} < ${coldBytes} bytes`);
  }
});
