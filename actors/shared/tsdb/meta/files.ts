import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeMeta } from './encode.js';
import { parseMeta } from './decode.js';
import { MetaError } from './errors.js';
import type { BlockMeta } from './types.js';

export const META_FILENAME = 'meta.json';

/**
 * Reads and validates `<dir>/meta.json`. A missing file is a MetaError (a block without meta.json
 * is not a block); I/O errors other than ENOENT propagate unchanged.
 */
export async function readMetaFile(dir: string): Promise<BlockMeta> {
  const path = join(dir, META_FILENAME);
  let bytes: Buffer;
  try { bytes = await readFile(path); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MetaError(`reading block meta: ${path} does not exist`, { cause: err, data: { file: path, field: '(root)' } });
    }
    throw err;
  }
  return parseMeta(bytes, path);
}

/**
 * Writes `<dir>/meta.json` atomically: `meta.json.tmp`, fsync, rename, fsync of the directory, as
 * Prometheus and Thanos do. Returns the number of bytes written.
 */
export async function writeMetaFile(dir: string, meta: BlockMeta, opts: { trailingNewline?: boolean } = {}): Promise<number> {
  const path = join(dir, META_FILENAME);
  const tmp = path + '.tmp';
  const data = Buffer.from(encodeMeta(meta, opts), 'utf8');
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally { await fh.close(); }
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  const dh = await open(dir, 'r');
  try { await dh.sync(); } finally { await dh.close(); }
  return data.length;
}
