import type { Readable } from 'node:stream';
import type { Bucket, IterOptions, ObjectAttributes, OpOptions, UploadBody } from '../../../../actors/shared/objstore/bucket.js';

/** Wraps a bucket and records every write/delete in order (test helper). */
export class RecordingBucket implements Bucket {
  readonly log: string[] = [];
  readonly name: string;
  readonly provider: Bucket['provider'];
  constructor(private readonly inner: Bucket) { this.name = inner.name; this.provider = inner.provider; }
  iter(dir: string, o?: IterOptions): AsyncIterable<string> { return this.inner.iter(dir, o); }
  get(name: string, o?: OpOptions): Promise<Readable> { return this.inner.get(name, o); }
  getRange(name: string, off: number, len: number, o?: OpOptions): Promise<Uint8Array> { return this.inner.getRange(name, off, len, o); }
  exists(name: string, o?: OpOptions): Promise<boolean> { return this.inner.exists(name, o); }
  attributes(name: string, o?: OpOptions): Promise<ObjectAttributes> { return this.inner.attributes(name, o); }
  async upload(name: string, body: UploadBody, o?: OpOptions): Promise<void> { this.log.push(`upload ${name}`); await this.inner.upload(name, body, o); }
  async delete(name: string, o?: OpOptions): Promise<void> { this.log.push(`delete ${name}`); await this.inner.delete(name, o); }
  close(): Promise<void> { return this.inner.close(); }
}
