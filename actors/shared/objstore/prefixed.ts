import type { Readable } from 'node:stream';
import type { Bucket, IterOptions, ObjectAttributes, OpOptions, UploadBody } from './bucket.js';
import { checkName } from './names.js';

/**
 * Shifts every object under `prefix/` (the objstore YAML `prefix:`), as Thanos's prefixed bucket does:
 * leading and trailing `/` of the prefix are ignored; names given and yielded are relative to it.
 */
export class PrefixedBucket implements Bucket {
  readonly name: string;
  readonly provider: Bucket['provider'];
  readonly prefix: string;
  readonly #b: Bucket;

  constructor(inner: Bucket, prefix: string) {
    this.#b = inner;
    this.prefix = prefix.replace(/^\/+|\/+$/g, '');
    checkName('prefix', this.prefix);
    this.name = inner.name;
    this.provider = inner.provider;
  }

  async *iter(dir: string, o?: IterOptions): AsyncIterable<string> {
    const p = this.prefix + '/';
    const d = dir === '' || dir === '/' ? this.prefix : `${p}${dir}`;
    for await (const n of this.#b.iter(d, o)) yield n.slice(p.length);
  }

  async get(name: string, o?: OpOptions): Promise<Readable> { return this.#b.get(this.#full('get', name), o); }
  async getRange(name: string, offset: number, length: number, o?: OpOptions): Promise<Uint8Array> {
    return this.#b.getRange(this.#full('get_range', name), offset, length, o);
  }
  async exists(name: string, o?: OpOptions): Promise<boolean> { return this.#b.exists(this.#full('exists', name), o); }
  async attributes(name: string, o?: OpOptions): Promise<ObjectAttributes> { return this.#b.attributes(this.#full('attributes', name), o); }
  async upload(name: string, body: UploadBody, o?: OpOptions): Promise<void> { return this.#b.upload(this.#full('upload', name), body, o); }
  async delete(name: string, o?: OpOptions): Promise<void> { return this.#b.delete(this.#full('delete', name), o); }
  close(): Promise<void> { return this.#b.close(); }

  #full(op: string, name: string): string {
    checkName(op, name);
    return `${this.prefix}/${name}`;
  }
}
