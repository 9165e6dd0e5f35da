import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand,
  S3Client, type GetObjectCommandOutput, type HeadObjectCommandOutput, type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Bucket, IterOptions, ObjectAttributes, OpOptions, UploadBody } from './bucket.js';
import { bodyStream, collect, isFileBody } from './body.js';
import { linkStream, opScope, withOp } from './deadline.js';
import { ObjstoreError } from './errors.js';
import { checkName, checkRange, compareNames, normalizeDir } from './names.js';
import type { S3Config } from './s3-config.js';
import { s3Error } from './s3-errors.js';

type SendOpts = { abortSignal: AbortSignal };

/** Builds the SDK client for a parsed S3 config (retries are ours: the SDK makes one attempt). */
export function makeS3Client(c: S3Config): S3Client {
  const url = /^https?:\/\//i.test(c.endpoint) ? c.endpoint : `${c.insecure ? 'http' : 'https'}://${c.endpoint}`;
  const host = new URL(url).hostname;
  const forcePathStyle = c.bucketLookupType === 'path'
    || (c.bucketLookupType === 'auto' && !/(^|\.)(amazonaws\.com|aliyuncs\.com)$/i.test(host));
  const maxSockets = c.http.maxConnsPerHost > 0 ? c.http.maxConnsPerHost : 50;
  const readOpt = (f: string): Buffer | undefined => (f === '' ? undefined : readFileSync(f));
  const httpsAgent = new HttpsAgent({
    keepAlive: true, maxSockets, maxFreeSockets: c.http.maxIdleConnsPerHost || 100, timeout: c.http.idleConnTimeoutMs,
    rejectUnauthorized: !(c.http.insecureSkipVerify || c.http.tls.insecureSkipVerify),
    ca: readOpt(c.http.tls.caFile), cert: readOpt(c.http.tls.certFile), key: readOpt(c.http.tls.keyFile),
    servername: c.http.tls.serverName || undefined,
  });
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets, maxFreeSockets: c.http.maxIdleConnsPerHost || 100, timeout: c.http.idleConnTimeoutMs });
  return new S3Client({
    endpoint: url, region: c.region || 'us-east-1', forcePathStyle, followRegionRedirects: true, maxAttempts: 1,
    credentials: c.accessKey !== ''
      ? { accessKeyId: c.accessKey, secretAccessKey: c.secretKey, ...(c.sessionToken !== '' ? { sessionToken: c.sessionToken } : {}) }
      : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpAgent, httpsAgent, requestTimeout: c.http.responseHeaderTimeoutMs },
  });
}

/**
 * S3 provider over @aws-sdk/client-s3. Never relies on server range quirks: a 1-byte read at offset 0
 * asks for two bytes, every range answer is re-sliced by its Content-Range, and suffix ranges are
 * never sent. Uploads above `part_size` (and all stream uploads) go multipart through lib-storage.
 */
export class S3Bucket implements Bucket {
  readonly provider = 'S3' as const;
  readonly name: string;
  readonly #c: S3Config;
  readonly #s3: S3Client;

  readonly #pageSize: number | undefined;

  /** `opts.listPageSize` sets MaxKeys of listings (tests use it to page small; default: the server's 1000). */
  constructor(config: S3Config, client?: S3Client, opts: { listPageSize?: number } = {}) {
    this.#pageSize = opts.listPageSize;
    this.#c = config;
    this.name = config.bucket;
    this.#s3 = client ?? makeS3Client(config);
  }

  async *iter(dir: string, o?: IterOptions): AsyncIterable<string> {
    const prefix = normalizeDir(dir);
    const recursive = o?.recursive === true;
    const scope = opScope(o, `iter ${JSON.stringify(dir)}`);
    try {
      let token: string | undefined;
      let last: string | undefined;
      do {
        const page = await this.#listPage(prefix, recursive, token, scope.signal).catch((e: unknown) => { throw scope.abortError() ?? s3Error('iter', dir, e); });
        token = page.next;
        for (const n of page.names) {
          if (n === prefix || (recursive && n.endsWith('/')) || n === last) continue;
          last = n;
          yield n;
          const err = scope.abortError();
          if (err !== undefined) throw err;
        }
      } while (token !== undefined);
    } finally {
      scope.dispose();
    }
  }

  async get(name: string, o?: OpOptions): Promise<Readable> {
    checkName('get', name);
    return withOp(o, `get ${JSON.stringify(name)}`, async (signal) => {
      const res = await this.#send<GetObjectCommandOutput>('get', name, new GetObjectCommand({ Bucket: this.name, Key: name }), signal);
      const body = res.Body as Readable | undefined;
      if (body === undefined) return Readable.from([]);
      return linkStream(body, o?.signal, `get ${JSON.stringify(name)}`);
    });
  }

  async getRange(name: string, offset: number, length: number, o?: OpOptions): Promise<Uint8Array> {
    checkName('get_range', name);
    checkRange(name, offset, length);
    return withOp(o, `get_range ${JSON.stringify(name)}`, async (signal) => {
      // `bytes=0-0` is mishandled by some servers (s3rver returns the whole object): ask for 0-1.
      const end = Math.max(offset + length - 1, 1);
      const res = await this.#send<GetObjectCommandOutput>('get_range', name, new GetObjectCommand({ Bucket: this.name, Key: name, Range: `bytes=${offset}-${end}` }), signal);
      let bytes: Uint8Array;
      try { bytes = res.Body === undefined ? new Uint8Array(0) : await collect(res.Body as Readable, signal); } catch (e) {
        throw signal.aborted ? e : s3Error('get_range', name, e);
      }
      if (res.ContentLength !== undefined && bytes.byteLength !== res.ContentLength) {
        throw new ObjstoreError(`get_range ${JSON.stringify(name)}: body truncated (${bytes.byteLength} of ${res.ContentLength} bytes)`, { retryable: true, data: { op: 'get_range', name } });
      }
      const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.ContentRange ?? '');
      const start = m === null ? 0 : Number(m[1]);
      const from = offset - start;
      if (from < 0 || (from >= bytes.byteLength && bytes.byteLength > 0)) {
        throw new ObjstoreError(`get_range ${JSON.stringify(name)}: server answered range ${res.ContentRange ?? '(none)'} for offset ${offset}`, { data: { op: 'get_range', name } });
      }
      const to = Math.min(bytes.byteLength, from + length);
      return new Uint8Array(bytes.buffer, bytes.byteOffset + from, to - from);
    });
  }

  async exists(name: string, o?: OpOptions): Promise<boolean> {
    checkName('exists', name);
    return withOp(o, `exists ${JSON.stringify(name)}`, async (signal) => {
      try { await this.#send('exists', name, new HeadObjectCommand({ Bucket: this.name, Key: name }), signal); return true; } catch (e) {
        if (e instanceof Error && e.name === 'ObjectNotFoundError') return false;
        throw e;
      }
    });
  }

  async attributes(name: string, o?: OpOptions): Promise<ObjectAttributes> {
    checkName('attributes', name);
    return withOp(o, `attributes ${JSON.stringify(name)}`, async (signal) => {
      const h = await this.#send<HeadObjectCommandOutput>('attributes', name, new HeadObjectCommand({ Bucket: this.name, Key: name }), signal);
      return { size: h.ContentLength ?? 0, lastModified: h.LastModified ?? new Date(0) };
    });
  }

  async upload(name: string, body: UploadBody, o?: OpOptions): Promise<void> {
    checkName('upload', name);
    return withOp(o, `upload ${JSON.stringify(name)}`, async (signal) => {
      const c = this.#c;
      const size = body instanceof Uint8Array ? body.byteLength : isFileBody(body) ? (await stat(body.filePath)).size : undefined;
      const params: PutObjectCommandInput = { Bucket: this.name, Key: name, ...this.#putExtras() };
      if (size !== undefined && (size <= c.partSize || c.disableMultipart)) {
        await this.#send('upload', name, new PutObjectCommand({ ...params, Body: body instanceof Uint8Array ? body : bodyStream(body), ContentLength: size }), signal);
        return;
      }
      if (c.disableMultipart) {
        const bytes = await collect(bodyStream(body), signal);
        await this.#send('upload', name, new PutObjectCommand({ ...params, Body: bytes, ContentLength: bytes.byteLength }), signal);
        return;
      }
      const up = new Upload({ client: this.#s3, params: { ...params, Body: bodyStream(body) }, partSize: c.partSize, queueSize: 4, leavePartsOnError: false });
      const onAbort = (): void => { void up.abort(); };
      signal.addEventListener('abort', onAbort, { once: true });
      try { await up.done(); } catch (e) { throw s3Error('upload', name, e); } finally { signal.removeEventListener('abort', onAbort); }
    });
  }

  async delete(name: string, o?: OpOptions): Promise<void> {
    checkName('delete', name);
    return withOp(o, `delete ${JSON.stringify(name)}`, async (signal) => {
      // S3 deletes missing keys silently; the Bucket contract reports them, so look first.
      await this.#send('delete', name, new HeadObjectCommand({ Bucket: this.name, Key: name }), signal);
      await this.#send('delete', name, new DeleteObjectCommand({ Bucket: this.name, Key: name }), signal);
    });
  }

  async close(): Promise<void> { this.#s3.destroy(); }

  #putExtras(): Partial<PutObjectCommandInput> {
    const c = this.#c;
    const x: Partial<PutObjectCommandInput> = {};
    if (Object.keys(c.putUserMetadata).length > 0) x.Metadata = c.putUserMetadata;
    if (c.storageClass !== undefined) x.StorageClass = c.storageClass as PutObjectCommandInput['StorageClass'];
    if (c.sse?.type === 'SSE-S3') x.ServerSideEncryption = 'AES256';
    if (c.sse?.type === 'SSE-KMS') {
      x.ServerSideEncryption = 'aws:kms';
      x.SSEKMSKeyId = c.sse.kmsKeyId;
      if (Object.keys(c.sse.kmsEncryptionContext).length > 0) x.SSEKMSEncryptionContext = Buffer.from(JSON.stringify(c.sse.kmsEncryptionContext)).toString('base64');
    }
    return x;
  }

  async #send<T>(op: string, name: string, cmd: object, signal: AbortSignal): Promise<T> {
    try {
      return await (this.#s3.send.bind(this.#s3) as (c: unknown, o: SendOpts) => Promise<T>)(cmd, { abortSignal: signal });
    } catch (e) {
      throw signal.aborted ? e : s3Error(op, name, e);
    }
  }

  async #listPage(prefix: string, recursive: boolean, token: string | undefined, signal: AbortSignal): Promise<{ names: string[]; next: string | undefined }> {
    const Delimiter = recursive ? undefined : '/';
    const send = this.#s3.send.bind(this.#s3) as (c: unknown, o: SendOpts) => Promise<unknown>;
    let keys: string[]; let prefixes: string[]; let next: string | undefined;
    if (this.#c.listObjectsVersion === 'v1') {
      const r = await send(new ListObjectsCommand({ Bucket: this.name, Prefix: prefix, Delimiter, Marker: token, MaxKeys: this.#pageSize }), { abortSignal: signal }) as
        { Contents?: { Key?: string }[]; CommonPrefixes?: { Prefix?: string }[]; IsTruncated?: boolean; NextMarker?: string };
      keys = (r.Contents ?? []).map((x) => x.Key ?? '');
      prefixes = (r.CommonPrefixes ?? []).map((x) => x.Prefix ?? '');
      const lastSeen = [...keys, ...prefixes].sort(compareNames).at(-1);
      next = r.IsTruncated === true ? (r.NextMarker ?? lastSeen) : undefined;
    } else {
      const r = await send(new ListObjectsV2Command({ Bucket: this.name, Prefix: prefix, Delimiter, ContinuationToken: token, MaxKeys: this.#pageSize }), { abortSignal: signal }) as
        { Contents?: { Key?: string }[]; CommonPrefixes?: { Prefix?: string }[]; IsTruncated?: boolean; NextContinuationToken?: string };
      keys = (r.Contents ?? []).map((x) => x.Key ?? '');
      prefixes = (r.CommonPrefixes ?? []).map((x) => x.Prefix ?? '');
      next = r.IsTruncated === true ? r.NextContinuationToken : undefined;
    }
    return { names: [...keys, ...prefixes].filter((n) => n !== '').sort(compareNames), next };
  }
}
