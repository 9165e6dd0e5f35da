import type { Bucket, BucketReader } from '../objstore/bucket.js';
import { collect } from '../objstore/body.js';
import { isObjectNotFound } from '../objstore/errors.js';
import { BadMarkerError } from './errors.js';
import { isBlockId } from './ulid.js';

/**
 * Block markers exactly as Thanos writes them (pkg/block/metadata/markers.go): compact JSON with
 * Go's field order, times in unix seconds, version 1.
 */
export const DELETION_MARK = 'deletion-mark.json';
export const NO_COMPACT_MARK = 'no-compact-mark.json';
export const NO_DOWNSAMPLE_MARK = 'no-downsample-mark.json';

export type MarkerKind = 'deletion' | 'no-compact' | 'no-downsample';

export interface Marker {
  readonly kind: MarkerKind;
  readonly id: string;
  readonly version: 1;
  /** Human-readable reason details (omitted when empty). */
  readonly details?: string;
  /** When the mark was made, unix seconds. */
  readonly timeSec: number;
  /** no-compact / no-downsample only: `manual`, `index-size-exceeding`, … */
  readonly reason?: string;
}

const FILES: Record<MarkerKind, { file: string; timeKey: string }> = {
  'deletion': { file: DELETION_MARK, timeKey: 'deletion_time' },
  'no-compact': { file: NO_COMPACT_MARK, timeKey: 'no_compact_time' },
  'no-downsample': { file: NO_DOWNSAMPLE_MARK, timeKey: 'no_downsample_time' },
};

export function markerFile(kind: MarkerKind): string { return FILES[kind].file; }

/** Object name of a block's marker. */
export function markerObject(id: string, kind: MarkerKind): string { return `${id}/${FILES[kind].file}`; }

/** Serialises like Go's json.Marshal of the Thanos struct (field order, omitempty details). */
export function encodeMarker(m: Marker): string {
  const parts = [`"id":${JSON.stringify(m.id)}`, `"version":${m.version}`];
  if (m.details) parts.push(`"details":${JSON.stringify(m.details)}`);
  parts.push(`"${FILES[m.kind].timeKey}":${Math.trunc(m.timeSec)}`);
  if (m.kind !== 'deletion') parts.push(`"reason":${JSON.stringify(m.reason ?? 'manual')}`);
  return `{${parts.join(',')}}`;
}

/** Parses and validates a marker file's content; BadMarkerError (naming the file) otherwise. */
export function parseMarker(kind: MarkerKind, text: string, file: string): Marker {
  let o: unknown;
  try { o = JSON.parse(text); } catch (err) {
    throw new BadMarkerError(`parsing marker ${file}: invalid JSON (possibly a partial upload)`, { cause: err, data: { file } });
  }
  if (typeof o !== 'object' || o === null) throw new BadMarkerError(`parsing marker ${file}: not an object`, { data: { file } });
  const r = o as Record<string, unknown>;
  const fail = (field: string, why: string) => new BadMarkerError(`parsing marker ${file}: field ${field} ${why}`, { data: { file, field } });
  if (typeof r.id !== 'string' || !isBlockId(r.id)) throw fail('id', 'is not a block ULID');
  if (r.version !== 1) throw fail('version', `is ${JSON.stringify(r.version)}, want 1`);
  const t = r[FILES[kind].timeKey];
  if (typeof t !== 'number' || !Number.isSafeInteger(t)) throw fail(FILES[kind].timeKey, 'is not an integer');
  if (r.details !== undefined && typeof r.details !== 'string') throw fail('details', 'is not a string');
  if (kind !== 'deletion' && typeof r.reason !== 'string') throw fail('reason', 'is not a string');
  return {
    kind, id: r.id, version: 1, timeSec: t,
    ...(typeof r.details === 'string' && r.details !== '' ? { details: r.details } : {}),
    ...(kind !== 'deletion' ? { reason: r.reason as string } : {}),
  };
}

/** Reads a block's marker; undefined when there is none. */
export async function readMarker(bkt: BucketReader, id: string, kind: MarkerKind, signal?: AbortSignal): Promise<Marker | undefined> {
  const name = markerObject(id, kind);
  try {
    const body = await collect(await bkt.get(name, { signal }));
    return parseMarker(kind, new TextDecoder().decode(body), name);
  } catch (err) {
    if (isObjectNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Marks a block unless the marker already exists (a mark is never rewritten, so the first
 * deletion time stands). Returns true when it wrote a new marker.
 */
export async function markBlock(bkt: Bucket, m: Marker, signal?: AbortSignal): Promise<boolean> {
  const name = markerObject(m.id, m.kind);
  if (await bkt.exists(name, { signal })) return false;
  await bkt.upload(name, new TextEncoder().encode(encodeMarker(m)), { signal });
  return true;
}
