import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { BucketReader } from '../objstore/bucket.js';
import { collect } from '../objstore/body.js';
import { isObjectNotFound } from '../objstore/errors.js';
import { parseMeta } from '../tsdb/meta/decode.js';
import type { BlockMeta } from '../tsdb/meta/types.js';
import { metricsFor } from '../../../runtime/metrics/registry.js';
import { isBlockId } from './ulid.js';

/** Per-sync block states, named like Thanos's `thanos_blocks_meta_synced{state}`. */
export const SYNC_STATES = ['loaded', 'failed', 'no-meta-json', 'corrupted-meta-json', 'label-excluded', 'time-excluded',
  'too-fresh', 'duplicate', 'marked-for-deletion', 'marked-for-no-compact', 'marked-for-no-downsample'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export interface FilterContext {
  readonly bucket: BucketReader;
  readonly nowMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Records that `n` blocks were dropped for `state`. */
  count(state: SyncState, n?: number): void;
}

/** A filter removes blocks from `metas` in place (Thanos's MetaFilter). Filters run in order. */
export type MetaFilter = (metas: Map<string, BlockMeta>, ctx: FilterContext) => Promise<void>;

export interface FetchResult {
  /** Blocks that passed every filter, by ULID. */
  readonly metas: Map<string, BlockMeta>;
  /** Block directories without meta.json (upload in progress or aborted): invisible to readers. */
  readonly partial: Set<string>;
  /** Blocks whose meta.json could not be read or parsed, with the error. */
  readonly failed: Map<string, Error>;
  readonly states: Readonly<Record<SyncState, number>>;
}

export interface MetaFetcherOptions {
  readonly bucket: BucketReader;
  /** Where meta.json copies are cached (metas are immutable); no disk cache when absent. */
  readonly cacheDir?: string;
  /** Parallel meta.json reads (default 32, Thanos's --block-meta-fetch-concurrency). */
  readonly concurrency?: number;
  readonly filters?: readonly MetaFilter[];
  readonly registry?: Registry;
  readonly now?: () => number;
}

/**
 * Lists the bucket's block directories, loads each meta.json (memory cache, then disk cache, then
 * the bucket; a cached meta is used only while `<id>/meta.json` still exists, since deletion
 * removes it first), and applies the filters. A directory whose name is not a ULID is ignored; one
 * without meta.json is partial and never returned. One fetch at a time per fetcher: a concurrent
 * call waits for the running one and shares its result.
 */
export class MetaFetcher {
  readonly #o: MetaFetcherOptions;
  readonly #memo = new Map<string, BlockMeta>();
  #running: Promise<FetchResult> | undefined;
  #tmpSeq = 0;
  readonly #metrics: { syncs?: { inc(): void }; failures?: { inc(): void }; synced?: { set(l: { state: string }, v: number): void } } = {};

  constructor(o: MetaFetcherOptions) {
    this.#o = o;
    if (o.registry) {
      const m = metricsFor(o.registry);
      this.#metrics.syncs = m.counter({ name: 'athanor_blocks_meta_syncs_total', help: 'Total blocks metadata synchronization attempts.' });
      this.#metrics.failures = m.counter({ name: 'athanor_blocks_meta_sync_failures_total', help: 'Total blocks metadata synchronization failures.' });
      this.#metrics.synced = m.gauge({ name: 'athanor_blocks_meta_synced', help: 'Number of block metadata synced, by state.', labelNames: ['state'] });
    }
  }

  fetch(signal?: AbortSignal): Promise<FetchResult> {
    this.#running ??= this.#fetch(signal).finally(() => { this.#running = undefined; });
    return this.#running;
  }

  async #fetch(signal?: AbortSignal): Promise<FetchResult> {
    this.#metrics.syncs?.inc();
    const states = Object.fromEntries(SYNC_STATES.map((s) => [s, 0])) as Record<SyncState, number>;
    const metas = new Map<string, BlockMeta>();
    const partial = new Set<string>();
    const failed = new Map<string, Error>();
    try {
      const ids: string[] = [];
      for await (const entry of this.#o.bucket.iter('', { signal })) {
        const id = entry.endsWith('/') ? entry.slice(0, -1) : entry;
        if (isBlockId(id)) ids.push(id);
      }
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          try {
            const meta = await this.#load(id, signal);
            if (meta === undefined) { partial.add(id); states['no-meta-json']++; } else metas.set(id, meta);
          } catch (err) {
            if ((err as { code?: string }).code === 'TSDB_BAD_META') states['corrupted-meta-json']++; else states.failed++;
            failed.set(id, err as Error);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.#o.concurrency ?? 32, ids.length) }, worker));
      const ctx: FilterContext = {
        bucket: this.#o.bucket, nowMs: (this.#o.now ?? Date.now)(), signal,
        count: (state, n = 1) => { states[state] += n; },
      };
      for (const f of this.#o.filters ?? []) await f(metas, ctx);
      states.loaded = metas.size;
    } catch (err) {
      this.#metrics.failures?.inc();
      throw err;
    }
    for (const s of SYNC_STATES) this.#metrics.synced?.set({ state: s }, states[s]);
    return { metas, partial, failed, states };
  }

  async #load(id: string, signal?: AbortSignal): Promise<BlockMeta | undefined> {
    const hit = this.#memo.get(id);
    if (hit || this.#o.cacheDir) {
      // Deletion removes meta.json first: a cached meta only counts while the object still exists.
      if (!(await this.#o.bucket.exists(`${id}/meta.json`, { signal }))) { this.#memo.delete(id); return undefined; }
      if (hit) return hit;
    }
    const cached = this.#o.cacheDir ? join(this.#o.cacheDir, id, 'meta.json') : undefined;
    if (cached) {
      try {
        const meta = parseMeta(await readFile(cached), cached);
        if (meta.ulid === id) { this.#memo.set(id, meta); return meta; }
      } catch { /* absent or corrupt cache entry: read the bucket */ }
    }
    let bytes: Uint8Array;
    try { bytes = await collect(await this.#o.bucket.get(`${id}/meta.json`, { signal })); } catch (err) {
      if (isObjectNotFound(err)) return undefined;
      throw err;
    }
    const meta = parseMeta(bytes, `${id}/meta.json`);
    this.#memo.set(id, meta);
    if (cached) {
      // Best effort: a failed cache write only costs a bucket read next time.
      const tmp = `${cached}.${process.pid}.${++this.#tmpSeq}.tmp`;
      try {
        await mkdir(join(this.#o.cacheDir!, id), { recursive: true });
        await writeFile(tmp, bytes);
        await rename(tmp, cached);
      } catch { await rm(tmp, { force: true }).catch(() => undefined); }
    }
    return meta;
  }
}
