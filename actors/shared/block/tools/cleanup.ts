import type { Bucket, BucketReader } from '../../objstore/bucket.js';
import { MetaFetcher, type MetaFilter } from '../fetcher.js';
import { readMarker } from '../markers.js';
import { deleteBlock } from '../upload.js';
import { ulidTimeMs } from '../ulid.js';

/** Thanos's PartialUploadThresholdAge: a block dir without meta.json this old is an aborted upload. */
export const PARTIAL_UPLOAD_THRESHOLD_MS = 48 * 3_600_000;

/** One block `tools bucket cleanup` deletes, and why. */
export interface CleanupAction {
  readonly block: string;
  readonly reason: 'marked' | 'partial';
  /** `marked`: the deletion mark's time; `partial`: the newest LastModified of its objects (or ULID time). */
  readonly sinceMs: number;
}

export interface CleanupPlanOptions {
  /** Blocks whose deletion mark is older than this are deleted (Thanos `--delete-delay`, default 48h). */
  readonly deleteDelayMs: number;
  /** Partial blocks are deleted once older than max(this, 48h) (Thanos `--consistency-delay`). */
  readonly consistencyDelayMs?: number;
  readonly nowMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Meta filters (e.g. the selector relabel): complete blocks they drop are left alone; partial blocks are always considered. */
  readonly filters?: readonly MetaFilter[];
}

/** Newest LastModified among a block's objects; the ULID time when it has none. */
async function lastModified(bkt: BucketReader, id: string, signal?: AbortSignal): Promise<number> {
  let newest: number | undefined;
  for await (const name of bkt.iter(id, { recursive: true, signal })) {
    const t = (await bkt.attributes(name, { signal })).lastModified.getTime();
    newest = newest === undefined ? t : Math.max(newest, t);
  }
  return newest ?? ulidTimeMs(id);
}

/**
 * Plans a cleanup as Thanos's compactor does it: every block (complete or partial) with a deletion
 * mark older than the delete delay, then every partial block (no meta.json, no deletion mark) whose
 * newest object is older than max(consistency delay, 48h). Nothing is deleted here. Ordered by ULID
 * within each reason. Blocks with an unreadable meta.json are left alone (they are not partial).
 */
export async function planCleanup(bkt: BucketReader, o: CleanupPlanOptions): Promise<CleanupAction[]> {
  const res = await new MetaFetcher({ bucket: bkt, filters: o.filters ?? [] }).fetch(o.signal);
  const ids = [...res.metas.keys(), ...res.partial].sort();
  const marked: CleanupAction[] = [], partial: CleanupAction[] = [];
  const partialAge = Math.max(o.consistencyDelayMs ?? 0, PARTIAL_UPLOAD_THRESHOLD_MS);
  for (const id of ids) {
    const mark = await readMarker(bkt, id, 'deletion', o.signal);
    if (mark) {
      if (o.nowMs - mark.timeSec * 1000 > o.deleteDelayMs || (o.deleteDelayMs === 0 && o.nowMs >= mark.timeSec * 1000)) {
        marked.push({ block: id, reason: 'marked', sinceMs: mark.timeSec * 1000 });
      }
      continue;
    }
    if (!res.partial.has(id)) continue;
    const t = await lastModified(bkt, id, o.signal);
    if (o.nowMs - t > partialAge) partial.push({ block: id, reason: 'partial', sinceMs: t });
  }
  return [...marked, ...partial];
}

/** Deletes the planned blocks the Thanos way (meta.json first, deletion mark last), calling `onDeleted` after each. */
export async function runCleanup(bkt: Bucket, plan: readonly CleanupAction[], onDeleted?: (a: CleanupAction) => void, signal?: AbortSignal): Promise<void> {
  for (const a of plan) {
    await deleteBlock(bkt, a.block, signal);
    onDeleted?.(a);
  }
}
