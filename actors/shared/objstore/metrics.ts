import { stat } from 'node:fs/promises';
import { Transform, pipeline, type Readable } from 'node:stream';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { CancelledError } from '../../../runtime/errors/runtime-errors.js';
import type { Bucket, IterOptions, ObjectAttributes, OpName, OpOptions, UploadBody } from './bucket.js';
import { OPS } from './bucket.js';
import { isFileBody } from './body.js';
import { isObjectNotFound } from './errors.js';

const LABELS = ['bucket', 'operation'] as const;

function getOr<T>(reg: Registry, name: string, make: () => T): T {
  return (reg.getSingleMetric(name) as T | undefined) ?? make();
}

/** FILESYSTEM buckets' open-handle counters per registry (every BucketMetrics of a registry shares the gauge). */
const handleSources = new WeakMap<Registry, Map<string, () => number>>();

/**
 * The objstore metrics of one registry, named as Thanos's `thanos_objstore_bucket_*` with the
 * `athanor_` prefix and the same `bucket`/`operation` labels. Shared by every bucket on that registry.
 */
export class BucketMetrics {
  readonly ops: Counter<'bucket' | 'operation'>;
  readonly failures: Counter<'bucket' | 'operation'>;
  readonly fetchedBytes: Counter<'bucket' | 'operation'>;
  readonly transferredBytes: Histogram<'bucket' | 'operation'>;
  readonly duration: Histogram<'bucket' | 'operation'>;
  readonly lastUpload: Gauge<'bucket'>;
  readonly retries: Counter<'bucket' | 'operation'>;

  constructor(reg: Registry) {
    const registers = [reg];
    this.ops = getOr(reg, 'athanor_objstore_bucket_operations_total', () => new Counter({
      name: 'athanor_objstore_bucket_operations_total', help: 'Total number of all attempted operations against a bucket.', labelNames: LABELS, registers }));
    this.failures = getOr(reg, 'athanor_objstore_bucket_operation_failures_total', () => new Counter({
      name: 'athanor_objstore_bucket_operation_failures_total', help: 'Total number of operations against a bucket that failed unexpectedly (not-found and cancellation excluded).', labelNames: LABELS, registers }));
    this.fetchedBytes = getOr(reg, 'athanor_objstore_bucket_operation_fetched_bytes_total', () => new Counter({
      name: 'athanor_objstore_bucket_operation_fetched_bytes_total', help: 'Total number of bytes fetched from or sent to a bucket, per operation.', labelNames: LABELS, registers }));
    this.transferredBytes = getOr(reg, 'athanor_objstore_bucket_operation_transferred_bytes', () => new Histogram({
      name: 'athanor_objstore_bucket_operation_transferred_bytes', help: 'Number of bytes transferred from/to a bucket per operation.', labelNames: LABELS, registers,
      buckets: Array.from({ length: 16 }, (_, i) => 32768 * 2 ** i) }));
    this.duration = getOr(reg, 'athanor_objstore_bucket_operation_duration_seconds', () => new Histogram({
      name: 'athanor_objstore_bucket_operation_duration_seconds', help: 'Duration of successful operations against a bucket.', labelNames: LABELS, registers,
      buckets: [0.001, 0.01, 0.1, 0.3, 0.6, 1, 3, 6, 9, 20, 30, 60, 90, 120] }));
    this.lastUpload = getOr(reg, 'athanor_objstore_bucket_last_successful_upload_time', () => new Gauge({
      name: 'athanor_objstore_bucket_last_successful_upload_time', help: 'Second timestamp of the last successful upload to a bucket.', labelNames: ['bucket'] as const, registers }));
    this.retries = getOr(reg, 'athanor_objstore_bucket_operation_retries_total', () => new Counter({
      name: 'athanor_objstore_bucket_operation_retries_total', help: 'Total number of retried attempts of bucket operations.', labelNames: LABELS, registers }));
    const handles = handleSources.get(reg) ?? new Map<string, () => number>();
    handleSources.set(reg, handles);
    this.#handleSources = handles;
    this.openHandles = getOr(reg, 'athanor_objstore_fs_open_handles', () => new Gauge({
      name: 'athanor_objstore_fs_open_handles', help: 'Read handles of immutable block files a FILESYSTEM bucket keeps open (at most 256 per bucket).',
      labelNames: ['bucket'] as const, registers,
      collect() { for (const [bucket, read] of handles) this.set({ bucket }, read()); },
    }));
  }

  readonly openHandles: Gauge<'bucket'>;
  readonly #handleSources: Map<string, () => number>;

  /** Reports a FILESYSTEM bucket's kept-open handles in `athanor_objstore_fs_open_handles`. */
  watchOpenHandles(bucket: string, read: () => number): void { this.#handleSources.set(bucket, read); }
}

/** Errors that are not counted as failures: not-found (callers probe for it) and cancellations. */
export function isExpectedFailure(e: unknown): boolean {
  return isObjectNotFound(e) || e instanceof CancelledError;
}

/** Counts, times and sizes every operation of `inner` (wrap it outside the retrying bucket). */
export class InstrumentedBucket implements Bucket {
  readonly name: string;
  readonly provider: Bucket['provider'];
  readonly #b: Bucket;
  readonly #m: BucketMetrics;

  constructor(inner: Bucket, metrics: BucketMetrics, bucketLabel = inner.name) {
    this.#b = inner;
    this.#m = metrics;
    this.name = bucketLabel;
    this.provider = inner.provider;
    for (const op of OPS) {
      metrics.ops.labels(bucketLabel, op).inc(0); metrics.failures.labels(bucketLabel, op).inc(0);
      metrics.retries.labels(bucketLabel, op).inc(0);
    }
  }

  async *iter(dir: string, o?: IterOptions): AsyncIterable<string> {
    const done = this.#start('iter');
    try {
      yield* this.#b.iter(dir, o);
      done(undefined);
    } catch (e) { done(e); throw e; }
  }

  async get(name: string, o?: OpOptions): Promise<Readable> {
    const done = this.#start('get');
    let r: Readable;
    try { r = await this.#b.get(name, o); } catch (e) { done(e); throw e; }
    let n = 0;
    const counter = new Transform({ transform(chunk: Buffer, _enc, cb) { n += chunk.byteLength; cb(null, chunk); } });
    return pipeline(r, counter, (err) => {
      this.#bytes('get', n);
      done(err ?? undefined);
    });
  }

  async getRange(name: string, offset: number, length: number, o?: OpOptions): Promise<Uint8Array> {
    const done = this.#start('get_range');
    try {
      const out = await this.#b.getRange(name, offset, length, o);
      this.#bytes('get_range', out.byteLength);
      done(undefined);
      return out;
    } catch (e) { done(e); throw e; }
  }

  exists(name: string, o?: OpOptions): Promise<boolean> { return this.#wrap('exists', () => this.#b.exists(name, o)); }
  attributes(name: string, o?: OpOptions): Promise<ObjectAttributes> { return this.#wrap('attributes', () => this.#b.attributes(name, o)); }
  delete(name: string, o?: OpOptions): Promise<void> { return this.#wrap('delete', () => this.#b.delete(name, o)); }

  async upload(name: string, body: UploadBody, o?: OpOptions): Promise<void> {
    let streamed = 0;
    let sent = body;
    if (!(body instanceof Uint8Array) && !isFileBody(body)) {
      const counter = new Transform({ transform(chunk: Buffer, _enc, cb) { streamed += chunk.byteLength; cb(null, chunk); } });
      sent = pipeline(body, counter, () => { /* errors reach the provider through counter */ });
    }
    await this.#wrap('upload', () => this.#b.upload(name, sent, o));
    if (body instanceof Uint8Array) this.#bytes('upload', body.byteLength);
    else if (isFileBody(body)) this.#bytes('upload', (await stat(body.filePath).catch(() => ({ size: 0 }))).size);
    else this.#bytes('upload', streamed);
    this.#m.lastUpload.labels(this.name).set(Date.now() / 1000);
  }

  close(): Promise<void> { return this.#b.close(); }

  async #wrap<T>(op: OpName, fn: () => Promise<T>): Promise<T> {
    const done = this.#start(op);
    try { const v = await fn(); done(undefined); return v; } catch (e) { done(e); throw e; }
  }

  #start(op: OpName): (err: unknown) => void {
    this.#m.ops.labels(this.name, op).inc();
    const end = this.#m.duration.startTimer({ bucket: this.name, operation: op });
    return (err) => {
      if (err === undefined || err === null) { end(); return; }
      if (!isExpectedFailure(err)) this.#m.failures.labels(this.name, op).inc();
    };
  }

  #bytes(op: OpName, n: number): void {
    this.#m.fetchedBytes.labels(this.name, op).inc(n);
    this.#m.transferredBytes.labels(this.name, op).observe(n);
  }
}
