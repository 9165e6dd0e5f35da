import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Bucket } from '../objstore/bucket.js';
import { encodeMeta } from '../tsdb/meta/encode.js';
import { readMetaFile } from '../tsdb/meta/files.js';
import type { BlockMeta, ThanosFile, ThanosMeta } from '../tsdb/meta/types.js';
import { BadBlockDirError, BlockUploadError } from './errors.js';
import { isBlockId } from './ulid.js';

export interface UploadBlockOptions {
  /** External labels to record in `thanos.labels` (replacing what the local meta has); required if it has none. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `thanos.source` (default `bucket.upload`, as `thanos tools bucket upload-blocks`). */
  readonly source?: string;
  readonly signal?: AbortSignal;
  /** Clock for `thanos.upload_time` (default now). */
  readonly now?: () => Date;
  /** Called after each object lands (for progress bars). */
  readonly onObject?: (name: string, bytes: number) => void;
}

export interface LocalBlockFile { readonly relPath: string; readonly size: number }

/**
 * The files of a local block directory that Thanos uploads: `chunks/*` (sorted) and `index`.
 * tombstones and anything else are ignored. BadBlockDirError when index or chunks are missing.
 */
export async function localBlockFiles(dir: string): Promise<LocalBlockFile[]> {
  let chunkNames: string[];
  try { chunkNames = (await readdir(join(dir, 'chunks'))).filter((n) => /^\d{6}$/.test(n)).sort(); } catch (err) {
    throw new BadBlockDirError(`reading block ${dir}: no chunks directory`, { cause: err, data: { dir } });
  }
  const files: LocalBlockFile[] = [];
  for (const n of chunkNames) files.push({ relPath: `chunks/${n}`, size: (await stat(join(dir, 'chunks', n))).size });
  try { files.push({ relPath: 'index', size: (await stat(join(dir, 'index'))).size }); } catch (err) {
    throw new BadBlockDirError(`reading block ${dir}: no index file`, { cause: err, data: { dir } });
  }
  return files;
}

/**
 * Uploads a local block the Thanos way: every chunk segment, then the index, then meta.json LAST
 * (with `thanos.labels`, `source`, `files` + sizes, `segment_files` and `upload_time` filled), so a
 * reader never sees a block as complete before all its data is there. After each data file lands,
 * its size in the bucket is checked against the local size. Re-uploading the same block is
 * idempotent. Returns the meta.json that was uploaded.
 */
export async function uploadBlock(bkt: Bucket, dir: string, o: UploadBlockOptions = {}): Promise<BlockMeta> {
  const id = basename(dir);
  if (!isBlockId(id)) throw new BadBlockDirError(`uploading block ${dir}: directory name is not a block ULID`, { data: { dir } });
  const meta = await readMetaFile(dir);
  if (meta.ulid !== id) throw new BadBlockDirError(`uploading block ${dir}: meta.json ulid ${meta.ulid} differs from the directory name`, { data: { dir } });
  const labels = o.labels ?? meta.thanos?.labels ?? {};
  if (Object.keys(labels).length === 0) {
    throw new BlockUploadError(`uploading block ${id}: empty external labels; give --label name=value (Thanos refuses blocks without them)`, { retryable: false, data: { block: id } });
  }
  const files = await localBlockFiles(dir);
  for (const f of files) {
    const name = `${id}/${f.relPath}`;
    await bkt.upload(name, { filePath: join(dir, f.relPath) }, { signal: o.signal });
    const landed = (await bkt.attributes(name, { signal: o.signal })).size;
    if (landed !== f.size) {
      throw new BlockUploadError(`uploading block ${id}: ${f.relPath} has ${landed} bytes in the bucket, ${f.size} locally`, { data: { block: id, file: f.relPath } });
    }
    o.onObject?.(name, f.size);
  }
  const thanosFiles: ThanosFile[] = [...files.map((f) => ({ relPath: f.relPath, sizeBytes: f.size })), { relPath: 'meta.json' }]
    .sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  const thanos: ThanosMeta = {
    ...meta.thanos,
    labels: { ...labels },
    downsample: meta.thanos?.downsample ?? { resolution: 0 },
    source: o.source ?? meta.thanos?.source ?? 'bucket.upload',
    segmentFiles: files.filter((f) => f.relPath.startsWith('chunks/')).map((f) => f.relPath.slice('chunks/'.length)),
    files: thanosFiles,
    uploadTime: (o.now ?? (() => new Date()))().toISOString(),
  };
  const out: BlockMeta = { ...meta, thanos };
  const body = new TextEncoder().encode(encodeMeta(out));
  await bkt.upload(`${id}/meta.json`, body, { signal: o.signal });
  o.onObject?.(`${id}/meta.json`, body.length);
  return out;
}

/**
 * Deletes a block the Thanos way: meta.json first (the block turns partial for every reader at
 * once), then every other object except the deletion mark, then the deletion mark last.
 * Objects that are already gone are fine (the call is idempotent).
 */
export async function deleteBlock(bkt: Bucket, id: string, signal?: AbortSignal): Promise<void> {
  if (!isBlockId(id)) throw new BadBlockDirError(`deleting block ${id}: not a block ULID`, { data: { block: id } });
  const del = async (name: string) => {
    try { await bkt.delete(name, { signal }); } catch (err) {
      if ((err as { code?: string }).code !== 'OBJSTORE_NOT_FOUND') throw err;
    }
  };
  await del(`${id}/meta.json`);
  const rest: string[] = [];
  for await (const name of bkt.iter(id, { recursive: true, signal })) {
    if (name !== `${id}/deletion-mark.json`) rest.push(name);
  }
  for (const name of rest) await del(name);
  await del(`${id}/deletion-mark.json`);
}
