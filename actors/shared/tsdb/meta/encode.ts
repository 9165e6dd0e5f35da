import { GoObject, compareBytes, goMarshalIndent, goValueFromUnknown, type GoValue } from './go-json.js';
import type { BlockMeta, BlockStats, ThanosMeta } from './types.js';

/** Go's zero `time.Time` as encoding/json writes it (Thanos's `upload_time` has no effective omitempty). */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

function putNonZero(o: GoObject, key: string, n: number | undefined): void {
  if (n !== undefined && n !== 0) o.set(key, n);
}

function statsValue(s: BlockStats): GoObject {
  const o = new GoObject();
  putNonZero(o, 'numSamples', s.numSamples);
  putNonZero(o, 'numFloatSamples', s.numFloatSamples);
  putNonZero(o, 'numHistogramSamples', s.numHistogramSamples);
  putNonZero(o, 'numSeries', s.numSeries);
  putNonZero(o, 'numChunks', s.numChunks);
  putNonZero(o, 'numTombstones', s.numTombstones);
  return o;
}

function compactionValue(m: BlockMeta): GoObject {
  const c = m.compaction;
  const o = new GoObject().set('level', c.level);
  if (c.sources?.length) o.set('sources', [...c.sources]);
  if (c.deletable) o.set('deletable', true);
  if (c.parents?.length) {
    o.set('parents', c.parents.map((p) => new GoObject().set('ulid', p.ulid).set('minTime', p.minTime).set('maxTime', p.maxTime)));
  }
  if (c.failed) o.set('failed', true);
  if (c.hints?.length) o.set('hints', [...c.hints]);
  return o;
}

function thanosValue(t: ThanosMeta): GoObject {
  const o = new GoObject();
  if (t.version) o.set('version', t.version);
  const labels = new GoObject();
  for (const k of Object.keys(t.labels).sort(compareBytes)) labels.set(k, t.labels[k]!);
  o.set('labels', labels);
  o.set('downsample', new GoObject().set('resolution', t.downsample.resolution));
  o.set('source', t.source);
  if (t.segmentFiles?.length) o.set('segment_files', [...t.segmentFiles]);
  if (t.files?.length) {
    o.set('files', t.files.map((f) => {
      const fo = new GoObject().set('rel_path', f.relPath);
      putNonZero(fo, 'size_bytes', f.sizeBytes);
      if (f.hash) fo.set('hash', new GoObject().set('hashFunc', f.hash.hashFunc).set('value', f.hash.value));
      return fo;
    }));
  }
  if (t.rewrites?.length) o.set('rewrites', t.rewrites.map((r) => goValueFromUnknown(r, false)));
  const is = new GoObject();
  putNonZero(is, 'series_max_size', t.indexStats?.seriesMaxSize);
  putNonZero(is, 'chunk_max_size', t.indexStats?.chunkMaxSize);
  o.set('index_stats', is);
  if (t.extensions !== undefined && t.extensions !== null) o.set('extensions', goValueFromUnknown(t.extensions, true));
  o.set('upload_time', t.uploadTime ?? GO_ZERO_TIME);
  return o;
}

/** The meta as the Go value tree (struct field order, omitempty applied). */
export function metaToGoValue(m: BlockMeta): GoValue {
  const o = new GoObject()
    .set('ulid', m.ulid)
    .set('minTime', m.minTime)
    .set('maxTime', m.maxTime)
    .set('stats', statsValue(m.stats))
    .set('compaction', compactionValue(m))
    .set('version', 1);
  if (m.thanos) o.set('thanos', thanosValue(m.thanos));
  return o;
}

/**
 * Serialises meta.json byte for byte as Go does: tab-indented with Go's field order and omitempty
 * rules. Without a `thanos` section the text equals Prometheus's `json.MarshalIndent` (no trailing
 * newline); with one it equals Thanos's `json.Encoder` with `SetIndent("", "\t")` (trailing newline).
 * `trailingNewline` overrides that choice.
 */
export function encodeMeta(m: BlockMeta, opts: { trailingNewline?: boolean } = {}): string {
  const nl = opts.trailingNewline ?? m.thanos !== undefined;
  return goMarshalIndent(metaToGoValue(m)) + (nl ? '\n' : '');
}
