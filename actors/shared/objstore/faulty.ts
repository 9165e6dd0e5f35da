import { Transform, pipeline, type Readable } from 'node:stream';
import type { Bucket, IterOptions, ObjectAttributes, OpName, OpOptions, UploadBody } from './bucket.js';
import { opScope, sleep } from './deadline.js';
import { ObjstoreError } from './errors.js';
import { seededRandom } from '../../../runtime/random.js';

export { seededRandom };


export interface FaultOptions {
  /** Seed of the fault dice (default 1): the same seed and call order give the same faults. */
  readonly seed?: number;
  /** Probability an operation fails before reaching the inner bucket (retryable ObjstoreError by default). */
  readonly errorRate?: number;
  /** Probability an operation hangs until its signal aborts or its timeout fires. */
  readonly hangRate?: number;
  /** Probability a read is cut short: get/iter streams break half-way, get_range fails retryably. */
  readonly truncateRate?: number;
  /** Latency added to every operation (ms). */
  readonly latencyMs?: number;
  /** Operations faults apply to (default: all). */
  readonly operations?: readonly OpName[];
  /** Stop injecting faults after this many (default: unlimited). */
  readonly maxFaults?: number;
  /** The error an `errorRate` fault throws (default: a retryable "injected 503"). */
  readonly makeError?: (op: OpName, name: string) => Error;
}

type Fault = 'error' | 'hang' | 'truncate' | undefined;

/**
 * Test wrapper that injects faults into any bucket: errors, latency, hangs and truncated bodies,
 * driven by a seeded RNG. `injected` counts what it did. Not for production use.
 */
export class FaultyBucket implements Bucket {
  readonly name: string;
  readonly provider: Bucket['provider'];
  readonly injected = { error: 0, hang: 0, truncate: 0 };
  readonly #b: Bucket;
  readonly #o: FaultOptions;
  readonly #rand: () => number;
  #total = 0;

  constructor(inner: Bucket, opts: FaultOptions = {}) {
    this.#b = inner;
    this.#o = opts;
    this.#rand = seededRandom(opts.seed ?? 1);
    this.name = inner.name;
    this.provider = inner.provider;
  }

  async *iter(dir: string, o?: IterOptions): AsyncIterable<string> {
    const f = await this.#prelude('iter', dir, o);
    let i = 0;
    for await (const n of this.#b.iter(dir, o)) {
      if (f === 'truncate' && i++ >= 1) throw this.#truncated('iter', dir);
      yield n;
    }
  }

  async get(name: string, o?: OpOptions): Promise<Readable> {
    const f = await this.#prelude('get', name, o);
    const r = await this.#b.get(name, o);
    if (f !== 'truncate') return r;
    let seen = 0;
    const cut = new Transform({
      transform: (chunk: Buffer, _e, cb) => {
        if (seen > 0) { cb(this.#truncated('get', name)); return; }
        seen += chunk.byteLength;
        const half = chunk.subarray(0, Math.max(1, chunk.byteLength >> 1));
        cb(null, half);
      },
      flush: (cb) => cb(this.#truncated('get', name)),
    });
    return pipeline(r, cut, () => { /* errors reach the reader through cut */ });
  }

  async getRange(name: string, offset: number, length: number, o?: OpOptions): Promise<Uint8Array> {
    if (await this.#prelude('get_range', name, o) === 'truncate') throw this.#truncated('get_range', name);
    return this.#b.getRange(name, offset, length, o);
  }

  async exists(name: string, o?: OpOptions): Promise<boolean> {
    await this.#prelude('exists', name, o);
    return this.#b.exists(name, o);
  }

  async attributes(name: string, o?: OpOptions): Promise<ObjectAttributes> {
    await this.#prelude('attributes', name, o);
    return this.#b.attributes(name, o);
  }

  async upload(name: string, body: UploadBody, o?: OpOptions): Promise<void> {
    await this.#prelude('upload', name, o);
    return this.#b.upload(name, body, o);
  }

  async delete(name: string, o?: OpOptions): Promise<void> {
    await this.#prelude('delete', name, o);
    return this.#b.delete(name, o);
  }

  close(): Promise<void> { return this.#b.close(); }

  async #prelude(op: OpName, name: string, o: OpOptions | undefined): Promise<Fault> {
    const scope = opScope(o, `${op} ${JSON.stringify(name)}`);
    try {
      const early = scope.abortError();
      if (early !== undefined) throw early;
      if (this.#o.latencyMs !== undefined && this.#o.latencyMs > 0) {
        await sleep(this.#o.latencyMs, scope.signal).catch((e: unknown) => { throw scope.abortError() ?? e; });
      }
      const f = this.#roll(op);
      if (f === 'error') throw this.#o.makeError?.(op, name) ?? new ObjstoreError(`${op} ${JSON.stringify(name)}: injected fault (status 503)`, { retryable: true, data: { op, name, status: 503 } });
      if (f === 'hang') {
        await new Promise<never>((_, reject) => scope.signal.addEventListener('abort', () => reject(scope.abortError()), { once: true }));
      }
      return f;
    } finally {
      scope.dispose();
    }
  }

  #roll(op: OpName): Fault {
    const o = this.#o;
    if (o.operations !== undefined && !o.operations.includes(op)) return undefined;
    if (this.#total >= (o.maxFaults ?? Infinity)) return undefined;
    const r = this.#rand();
    let f: Fault;
    const e = o.errorRate ?? 0; const h = o.hangRate ?? 0; const t = o.truncateRate ?? 0;
    if (r < e) f = 'error';
    else if (r < e + h) f = 'hang';
    else if (r < e + h + t && (op === 'get' || op === 'get_range' || op === 'iter')) f = 'truncate';
    if (f !== undefined) { this.injected[f]++; this.#total++; }
    return f;
  }

  #truncated(op: OpName, name: string): ObjstoreError {
    return new ObjstoreError(`${op} ${JSON.stringify(name)}: injected truncated body (connection reset)`, { retryable: true, data: { op, name, errno: 'ECONNRESET' } });
  }
}
