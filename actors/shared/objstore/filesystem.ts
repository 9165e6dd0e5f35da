import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { CodedError } from '../../../runtime/errors/coded-error.js';
import type { Bucket, IterOptions, ObjectAttributes, OpOptions, UploadBody } from './bucket.js';
import { bodyStream } from './body.js';
import { linkStream, opScope, withOp } from './deadline.js';
import { InvalidObjectNameError, notFound } from './errors.js';
import { errnoCode, fsError } from './fs-errors.js';
import { HandleCache, keepsHandle } from './fs-handles.js';
import { checkName, checkRange, compareNames, normalizeDir, rangePastEnd } from './names.js';

/** Ranges up to this many bytes are read without an up-front stat. */
const DIRECT_READ_BYTES = 1 << 20;

/** Fills `out` from `offset` until it is full or the file ends; returns the bytes read. */
async function readInto(fh: FileHandle, out: Uint8Array, offset: number): Promise<number> {
  let got = 0;
  while (got < out.length) {
    const { bytesRead } = await fh.read(out, got, out.length - got, offset + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** Directory under the root that holds uploads in progress; never listed, never a valid name. */
export const FS_TMP_DIR = '.athanor-tmp';

export interface FilesystemBucketOptions {
  /** The bucket root (Thanos `config.directory`). Created if missing. */
  readonly directory: string;
  /** fsync each uploaded file before it becomes visible (default true). */
  readonly fsync?: boolean;
}

/**
 * FILESYSTEM provider: one file per object under `directory`. Uploads write a temp file under
 * `<directory>/.athanor-tmp/` and rename it into place, so readers see the old or the new object,
 * never a partial one. Names that could escape the root are refused with InvalidObjectNameError.
 * Directories with no objects below them are hidden and removed when their last object is deleted.
 */
export class FilesystemBucket implements Bucket {
  readonly provider = 'FILESYSTEM' as const;
  readonly name: string;
  readonly root: string;
  readonly #fsync: boolean;
  readonly #handles = new HandleCache();

  constructor(opts: FilesystemBucketOptions) {
    this.root = resolve(opts.directory);
    this.name = `fs: ${opts.directory}`;
    this.#fsync = opts.fsync ?? true;
  }

  async *iter(dir: string, o?: IterOptions): AsyncIterable<string> {
    const prefix = normalizeDir(dir);
    const scope = opScope(o, `iter ${JSON.stringify(dir)}`);
    try {
      for await (const name of this.#list(prefix, o?.recursive === true)) {
        const err = scope.abortError();
        if (err !== undefined) throw err;
        yield name;
      }
    } finally {
      scope.dispose();
    }
  }

  async get(name: string, o?: OpOptions): Promise<Readable> {
    const file = this.#path('get', name);
    return withOp(o, `get ${JSON.stringify(name)}`, async () => {
      try {
        const fh = await open(file, 'r');
        try {
          if (!(await fh.stat()).isFile()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
        } catch (e) { await fh.close(); throw e; }
        return linkStream(fh.createReadStream({ autoClose: true }), o?.signal, `get ${JSON.stringify(name)}`);
      } catch (e) { throw fsError('get', name, file, e); }
    });
  }

  async getRange(name: string, offset: number, length: number, o?: OpOptions): Promise<Uint8Array> {
    const file = this.#path('get_range', name);
    checkRange(name, offset, length);
    return withOp(o, `get_range ${JSON.stringify(name)}`, async () => {
      const read = async (fh: FileHandle): Promise<Uint8Array> => {
        // Small ranges skip the up-front stat (one thread-pool round trip less per read): the read
        // itself finds a directory (EISDIR) or the end; stat runs only to explain an empty read.
        if (length <= DIRECT_READ_BYTES) {
          const out = new Uint8Array(length);
          const got = await readInto(fh, out, offset);
          if (got > 0) return got === length ? out : out.slice(0, got);
        }
        const st = await fh.stat();
        if (!st.isFile()) throw notFound('get_range', name);
        if (offset >= st.size) throw rangePastEnd(name, offset, st.size);
        const want = Math.min(length, st.size - offset);
        const out = new Uint8Array(want);
        const got = await readInto(fh, out, offset);
        return got === want ? out : out.subarray(0, got);
      };
      try {
        // Block files are immutable: their handles stay open between reads (see HandleCache).
        if (keepsHandle(name)) return await this.#handles.use(file, read);
        const fh = await open(file, 'r');
        try { return await read(fh); } finally { await fh.close(); }
      } catch (e) {
        throw e instanceof CodedError ? e : fsError('get_range', name, file, e);
      }
    });
  }

  async exists(name: string, o?: OpOptions): Promise<boolean> {
    const file = this.#path('exists', name);
    return withOp(o, `exists ${JSON.stringify(name)}`, async () => {
      try { return (await stat(file)).isFile(); } catch (e) {
        const err = fsError('exists', name, file, e);
        if (err.name === 'ObjectNotFoundError') return false;
        throw err;
      }
    });
  }

  async attributes(name: string, o?: OpOptions): Promise<ObjectAttributes> {
    const file = this.#path('attributes', name);
    return withOp(o, `attributes ${JSON.stringify(name)}`, async () => {
      let st;
      try { st = await stat(file); } catch (e) { throw fsError('attributes', name, file, e); }
      if (!st.isFile()) throw notFound('attributes', name);
      return { size: st.size, lastModified: st.mtime };
    });
  }

  async upload(name: string, body: UploadBody, o?: OpOptions): Promise<void> {
    const file = this.#path('upload', name);
    this.#handles.forget(file);
    return withOp(o, `upload ${JSON.stringify(name)}`, async (signal) => {
      const tmpDir = join(this.root, FS_TMP_DIR);
      const tmp = join(tmpDir, randomBytes(12).toString('hex'));
      try {
        await mkdir(tmpDir, { recursive: true });
        const fh = await open(tmp, 'wx');
        try {
          for await (const chunk of bodyStream(body)) {
            signal.throwIfAborted();
            const u8 = typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Uint8Array;
            let at = 0;
            while (at < u8.byteLength) at += (await fh.write(u8, at, u8.byteLength - at)).bytesWritten;
          }
          if (this.#fsync) await fh.sync();
        } finally {
          await fh.close();
        }
        signal.throwIfAborted();
        await mkdir(join(file, '..'), { recursive: true });
        await rename(tmp, file);
        this.#handles.forget(file); // a read during the upload may have reopened the old file
      } catch (e) {
        await rm(tmp, { force: true });
        if (signal.aborted) throw e;
        const code = errnoCode(e);
        throw code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR'
          ? fsError('upload', name, file, Object.assign(new Error(`path conflicts with an existing object or directory (${code})`), { code: 'EIO' }))
          : fsError('upload', name, file, e);
      }
    });
  }

  async delete(name: string, o?: OpOptions): Promise<void> {
    const file = this.#path('delete', name);
    this.#handles.forget(file);
    return withOp(o, `delete ${JSON.stringify(name)}`, async () => {
      try { await unlink(file); } catch (e) {
        const code = errnoCode(e);
        throw fsError('delete', name, file, code === 'EPERM' || code === 'EISDIR' ? Object.assign(new Error('not an object'), { code: 'EISDIR' }) : e);
      }
      // Remove directories left empty, up to (not including) the root.
      for (let d = join(file, '..'); d.startsWith(this.root + sep); d = join(d, '..')) {
        try { await rmdir(d); } catch { break; }
      }
    });
  }

  /** Read handles of block files currently kept open (bounded; see HandleCache). */
  get openHandles(): number { return this.#handles.size; }

  /** Closes the kept-open read handles; the bucket stays usable (they reopen on demand). */
  async close(): Promise<void> { await this.#handles.close(); }

  #path(op: string, name: string): string {
    checkName(op, name);
    if (name === FS_TMP_DIR || name.startsWith(FS_TMP_DIR + '/')) {
      throw new InvalidObjectNameError(`${op} ${JSON.stringify(name)}: object name uses the reserved directory ${FS_TMP_DIR}`, { data: { op, name } });
    }
    const file = resolve(this.root, ...name.split('/'));
    if (!file.startsWith(this.root + sep)) {
      throw new InvalidObjectNameError(`${op} ${JSON.stringify(name)}: object name escapes the bucket root ${this.root}`, { data: { op, name } });
    }
    return file;
  }

  /** Entries below `prefix` ('' or 'a/b/') in UTF-8 order; dirs end with '/'; empty dirs skipped. */
  async *#list(prefix: string, recursive: boolean): AsyncGenerator<string> {
    const abs = prefix === '' ? this.root : resolve(this.root, ...prefix.slice(0, -1).split('/'));
    let ents;
    try { ents = await readdir(abs, { withFileTypes: true }); } catch (e) {
      const code = errnoCode(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw fsError('iter', prefix, abs, e);
    }
    const names: string[] = [];
    for (const ent of ents) {
      if (prefix === '' && ent.name === FS_TMP_DIR) continue;
      if (ent.isDirectory()) names.push(prefix + ent.name + '/');
      else if (ent.isFile() || ent.isSymbolicLink()) names.push(prefix + ent.name);
    }
    names.sort(compareNames);
    for (const n of names) {
      if (!n.endsWith('/')) { yield n; continue; }
      if (recursive) { yield* this.#list(n, true); continue; }
      if (await this.#hasObjects(n)) yield n;
    }
  }

  async #hasObjects(prefix: string): Promise<boolean> {
    for await (const _ of this.#list(prefix, true)) return true;
    return false;
  }
}
