import type { Readable } from 'node:stream';
import type { Bucket, IterOptions, ObjectAttributes, OpOptions, UploadBody } from './bucket.js';
import { bodyBytes, bytesStream } from './body.js';
import { withOp, opScope } from './deadline.js';
import { notFound } from './errors.js';
import { checkName, checkRange, compareNames, normalizeDir, rangePastEnd } from './names.js';

interface Entry { readonly data: Uint8Array; readonly lastModified: Date }

/**
 * MEMORY provider: objects in a Map (tests, the single-process embedded mode). Same contract as
 * every provider; content is copied on upload so callers may reuse their buffers.
 */
export class MemoryBucket implements Bucket {
  readonly provider = 'MEMORY' as const;
  readonly name: string;
  readonly #objects = new Map<string, Entry>();
  readonly #now: () => Date;

  constructor(opts: { name?: string; now?: () => Date } = {}) {
    this.name = opts.name ?? 'memory';
    this.#now = opts.now ?? (() => new Date());
  }

  async *iter(dir: string, o?: IterOptions): AsyncIterable<string> {
    const prefix = normalizeDir(dir);
    const scope = opScope(o, `iter ${JSON.stringify(dir)}`);
    try {
      const out = new Set<string>();
      for (const key of this.#objects.keys()) {
        if (!key.startsWith(prefix)) continue;
        if (o?.recursive) { out.add(key); continue; }
        const slash = key.indexOf('/', prefix.length);
        out.add(slash < 0 ? key : key.slice(0, slash + 1));
      }
      for (const name of [...out].sort(compareNames)) {
        const err = scope.abortError();
        if (err !== undefined) throw err;
        yield name;
      }
    } finally {
      scope.dispose();
    }
  }

  async get(name: string, o?: OpOptions): Promise<Readable> {
    checkName('get', name);
    return withOp(o, `get ${JSON.stringify(name)}`, async () => bytesStream(this.#entry('get', name).data, o?.signal));
  }

  async getRange(name: string, offset: number, length: number, o?: OpOptions): Promise<Uint8Array> {
    checkName('get_range', name);
    checkRange(name, offset, length);
    return withOp(o, `get_range ${JSON.stringify(name)}`, async () => {
      const { data } = this.#entry('get_range', name);
      if (offset >= data.byteLength) throw rangePastEnd(name, offset, data.byteLength);
      return data.slice(offset, Math.min(data.byteLength, offset + length));
    });
  }

  async exists(name: string, o?: OpOptions): Promise<boolean> {
    checkName('exists', name);
    return withOp(o, `exists ${JSON.stringify(name)}`, async () => this.#objects.has(name));
  }

  async attributes(name: string, o?: OpOptions): Promise<ObjectAttributes> {
    checkName('attributes', name);
    return withOp(o, `attributes ${JSON.stringify(name)}`, async () => {
      const e = this.#entry('attributes', name);
      return { size: e.data.byteLength, lastModified: e.lastModified };
    });
  }

  async upload(name: string, body: UploadBody, o?: OpOptions): Promise<void> {
    checkName('upload', name);
    return withOp(o, `upload ${JSON.stringify(name)}`, async (signal) => {
      const data = (await bodyBytes(body, signal)).slice();
      signal.throwIfAborted();
      this.#objects.set(name, { data, lastModified: this.#now() });
    });
  }

  async delete(name: string, o?: OpOptions): Promise<void> {
    checkName('delete', name);
    return withOp(o, `delete ${JSON.stringify(name)}`, async () => {
      if (!this.#objects.delete(name)) throw notFound('delete', name);
    });
  }

  async close(): Promise<void> { /* nothing to release */ }

  /** Test helper: sets an object's last-modified time. */
  setLastModified(name: string, at: Date): void {
    const e = this.#entry('attributes', name);
    this.#objects.set(name, { data: e.data, lastModified: at });
  }

  #entry(op: string, name: string): Entry {
    const e = this.#objects.get(name);
    if (e === undefined) throw notFound(op, name);
    return e;
  }
}
