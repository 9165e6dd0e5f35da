import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bucket } from '../../objstore/bucket.js';
import { readMetaFile } from '../../tsdb/meta/files.js';
import { uploadBlock } from '../upload.js';
import { isBlockId } from '../ulid.js';
import { UploadBlocksError } from './errors.js';

export interface UploadBlocksOptions {
  /** External labels written to `thanos.labels` of every uploaded block. */
  readonly labels: Readonly<Record<string, string>>;
  /** Also upload compacted blocks (level > 1), as Thanos's `--shipper.upload-compacted`. */
  readonly uploadCompacted?: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Called once per block with what happened to it. */
  readonly onBlock?: ((r: UploadBlockResult) => void) | undefined;
}

export interface UploadBlockResult {
  readonly block: string;
  readonly status: 'uploaded' | 'exists' | 'skipped-empty' | 'skipped-compacted';
}

/**
 * Uploads every block of a Prometheus data directory the way Thanos's `tools bucket upload-blocks`
 * (its shipper's one sync) does: block directories (ULID names with a meta.json) oldest minTime
 * first; blocks without samples and, unless `uploadCompacted`, compacted blocks are skipped; blocks
 * whose meta.json is already in the bucket are skipped; each upload is `uploadBlock` with source
 * `bucket.upload`. Stops at the first failure (UploadBlocksError naming the block and the cause),
 * so blocks are uploaded in order.
 */
export async function uploadBlocks(bkt: Bucket, dir: string, o: UploadBlocksOptions): Promise<UploadBlockResult[]> {
  const entries = await readdir(dir);
  const blocks: { id: string; minTime: number; level: number; samples: number }[] = [];
  for (const name of entries) {
    if (!isBlockId(name)) continue;
    const path = join(dir, name);
    if (!(await stat(path)).isDirectory()) continue;
    const meta = await readMetaFile(path);
    blocks.push({ id: name, minTime: meta.minTime, level: meta.compaction.level, samples: meta.stats.numSamples ?? 0 });
  }
  blocks.sort((a, b) => a.minTime - b.minTime || (a.id < b.id ? -1 : 1));
  const out: UploadBlockResult[] = [];
  const note = (r: UploadBlockResult) => { out.push(r); o.onBlock?.(r); };
  for (const b of blocks) {
    if (b.samples === 0) { note({ block: b.id, status: 'skipped-empty' }); continue; }
    if (b.level > 1 && !o.uploadCompacted) { note({ block: b.id, status: 'skipped-compacted' }); continue; }
    if (await bkt.exists(`${b.id}/meta.json`, { signal: o.signal })) { note({ block: b.id, status: 'exists' }); continue; }
    try {
      await uploadBlock(bkt, join(dir, b.id), { labels: o.labels, source: 'bucket.upload', signal: o.signal });
    } catch (err) {
      const e = err as { message?: string; code?: string; retryable?: boolean };
      throw new UploadBlocksError(`uploading block ${b.id}: ${e.message ?? String(err)}`, { cause: err, retryable: e.retryable === true, data: { block: b.id, cause: e.code } });
    }
    note({ block: b.id, status: 'uploaded' });
  }
  return out;
}
