/**
 * Test helpers for the store gateway: writing blocks from ready chunks (raw or AggrChunk) and
 * putting them in a bucket, and a bucket wrapper that counts the bytes fetched by range.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { compareLabels } from '../../../actors/shared/labels/labels.js';
import type { Bucket, OpOptions } from '../../../actors/shared/objstore/bucket.js';
import type { Series } from '../../../actors/shared/storeapi/types.js';
import { encodeAggrChunk } from '../../../actors/shared/tsdb/aggr/aggr-chunk.js';
import { Encoding } from '../../../actors/shared/tsdb/chunkenc/encoding.js';
import type { StoredChunk } from '../../../actors/shared/tsdb/chunks/format.js';
import { ChunkSegmentWriter } from '../../../actors/shared/tsdb/chunks/segment-writer.js';
import { IndexWriter, symbolsOf } from '../../../actors/shared/tsdb/index/writer.js';
import { encodeMeta } from '../../../actors/shared/tsdb/meta/encode.js';
import type { BlockMeta } from '../../../actors/shared/tsdb/meta/types.js';

const nextUlid = monotonicFactory();
const ENC = { XOR: Encoding.XOR, HISTOGRAM: Encoding.HISTOGRAM, FLOAT_HISTOGRAM: Encoding.FLOAT_HISTOGRAM } as const;

export interface RawBlockOptions {
  readonly labels?: Record<string, string>;
  readonly resolution?: number;
  readonly ulid?: string;
  readonly source?: string;
}

/** Writes `<parent>/<ulid>/` from series with ready chunks (raw, or all aggregates → an AggrChunk). */
export async function writeChunkBlock(parent: string, series: readonly Series[], o: RawBlockOptions = {}): Promise<BlockMeta> {
  const id = o.ulid ?? nextUlid(Date.now() - 3600_000);
  const dir = join(parent, id);
  await mkdir(join(dir, 'chunks'), { recursive: true });
  const sorted = [...series].sort((a, b) => compareLabels(a.labels, b.labels));
  const cw = new ChunkSegmentWriter(join(dir, 'chunks'));
  const iw = new IndexWriter();
  iw.addSymbol('');
  for (const s of symbolsOf(sorted.map((x) => ({ labels: x.labels, chunks: [] })))) if (s !== '') iw.addSymbol(s);
  let minTime = Infinity, maxTime = -Infinity, numChunks = 0;
  for (const s of sorted) {
    const stored: StoredChunk[] = s.chunks.map((c) => {
      if (c.raw !== undefined) return { encoding: ENC[c.raw.type], data: c.raw.data };
      const part = (p: typeof c.count) => (p === undefined ? undefined : { encoding: ENC[p.type], data: p.data });
      return { encoding: Encoding.AGGR, data: encodeAggrChunk([part(c.count), part(c.sum), part(c.min), part(c.max), part(c.counter)]) };
    });
    const refs = await cw.writeChunks(stored);
    iw.addSeries(s.labels, s.chunks.map((c, i) => ({ mint: c.minTime, maxt: c.maxTime, ref: refs[i]! })));
    for (const c of s.chunks) { minTime = Math.min(minTime, c.minTime); maxTime = Math.max(maxTime, c.maxTime + 1); }
    numChunks += s.chunks.length;
  }
  await cw.close();
  await writeFile(join(dir, 'index'), iw.finish());
  const meta: BlockMeta = {
    ulid: id, minTime, maxTime, version: 1,
    stats: { numSeries: sorted.length, numChunks, numSamples: numChunks },
    compaction: { level: 1, sources: [id] },
    thanos: { labels: o.labels ?? {}, downsample: { resolution: o.resolution ?? 0 }, source: o.source ?? 'test' },
  };
  await writeFile(join(dir, 'meta.json'), encodeMeta(meta));
  return meta;
}

/** Uploads a block directory object by object, meta.json last, without uploadBlock's checks (labels may be empty). */
export async function putBlockDir(bkt: Bucket, dir: string, id: string): Promise<void> {
  const chunks = (await readdir(join(dir, 'chunks'))).sort();
  for (const c of chunks) await bkt.upload(`${id}/chunks/${c}`, await readFile(join(dir, 'chunks', c)));
  await bkt.upload(`${id}/index`, await readFile(join(dir, 'index')));
  await bkt.upload(`${id}/meta.json`, await readFile(join(dir, 'meta.json')));
}

/** Wraps a bucket and counts `getRange` calls and bytes (everything else passes through). */
export function countingBucket(inner: Bucket): Bucket & { readonly stats: { ranges: number; bytes: number; objects: string[]; reset(): void } } {
  const stats = { ranges: 0, bytes: 0, objects: [] as string[], reset() { this.ranges = 0; this.bytes = 0; this.objects = []; } };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'stats') return stats;
      if (prop === 'getRange') {
        return async (name: string, off: number, len: number, o?: OpOptions) => {
          const b = await target.getRange(name, off, len, o);
          stats.ranges++; stats.bytes += b.length; stats.objects.push(name);
          return b;
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as Bucket & { readonly stats: { ranges: number; bytes: number; objects: string[]; reset(): void } };
}
