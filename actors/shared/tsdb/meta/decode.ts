import { isValid as isValidUlid } from 'ulid';
import { MetaError } from './errors.js';
import type { BlockCompaction, BlockDesc, BlockMeta, BlockStats, ThanosFile, ThanosMeta } from './types.js';

type Obj = Record<string, unknown>;

class Checker {
  constructor(private readonly file: string | undefined) {}

  fail(field: string, what: string): never {
    const where = this.file === undefined ? '' : ` in ${this.file}`;
    throw new MetaError(`reading block meta${where}: field ${field} ${what}`,
      { data: this.file === undefined ? { field } : { field, file: this.file } });
  }

  obj(x: unknown, field: string): Obj {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) this.fail(field, 'must be an object');
    return x as Obj;
  }

  int(x: unknown, field: string, min = Number.MIN_SAFE_INTEGER): number {
    if (typeof x !== 'number' || !Number.isSafeInteger(x)) this.fail(field, 'must be an integer within ±2^53');
    if (x < min) this.fail(field, `must be >= ${min}`);
    return x;
  }

  optUint(x: unknown, field: string): number | undefined {
    return x === undefined || x === null ? undefined : this.int(x, field, 0);
  }

  str(x: unknown, field: string): string {
    if (typeof x !== 'string') this.fail(field, 'must be a string');
    return x;
  }

  optBool(x: unknown, field: string): boolean | undefined {
    if (x === undefined || x === null) return undefined;
    if (typeof x !== 'boolean') this.fail(field, 'must be a boolean');
    return x;
  }

  /** Go decodes `null` into a nil slice, so null is accepted as absent. */
  optArray(x: unknown, field: string): unknown[] | undefined {
    if (x === undefined || x === null) return undefined;
    if (!Array.isArray(x)) this.fail(field, 'must be an array');
    return x;
  }

  /** Go's ulid UnmarshalText: 26 characters, first one at most '7'; we also require the alphabet. */
  ulid(x: unknown, field: string): string {
    const s = this.str(x, field);
    if (!isValidUlid(s) || s.length !== 26 || s[0]! > '7') this.fail(field, `is not a valid ULID: ${JSON.stringify(s)}`);
    return s.toUpperCase();
  }
}

function stats(c: Checker, x: unknown): BlockStats {
  if (x === undefined || x === null) return {};
  const o = c.obj(x, 'stats');
  const out: Record<string, number> = {};
  for (const k of ['numSamples', 'numFloatSamples', 'numHistogramSamples', 'numSeries', 'numChunks', 'numTombstones']) {
    const v = c.optUint(o[k], `stats.${k}`);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function desc(c: Checker, x: unknown, field: string): BlockDesc {
  const o = c.obj(x, field);
  return { ulid: c.ulid(o.ulid, `${field}.ulid`), minTime: c.int(o.minTime ?? 0, `${field}.minTime`), maxTime: c.int(o.maxTime ?? 0, `${field}.maxTime`) };
}

function compaction(c: Checker, x: unknown): BlockCompaction {
  const o = c.obj(x ?? {}, 'compaction');
  const sources = c.optArray(o.sources, 'compaction.sources')?.map((s, i) => c.ulid(s, `compaction.sources[${i}]`));
  const parents = c.optArray(o.parents, 'compaction.parents')?.map((p, i) => desc(c, p, `compaction.parents[${i}]`));
  const hints = c.optArray(o.hints, 'compaction.hints')?.map((h, i) => c.str(h, `compaction.hints[${i}]`));
  const out: { -readonly [K in keyof BlockCompaction]: BlockCompaction[K] } = { level: c.int(o.level ?? 0, 'compaction.level', 0) };
  if (sources?.length) out.sources = sources;
  if (c.optBool(o.deletable, 'compaction.deletable')) out.deletable = true;
  if (parents?.length) out.parents = parents;
  if (c.optBool(o.failed, 'compaction.failed')) out.failed = true;
  if (hints?.length) out.hints = hints;
  return out;
}

function file(c: Checker, x: unknown, field: string): ThanosFile {
  const o = c.obj(x, field);
  const out: { -readonly [K in keyof ThanosFile]: ThanosFile[K] } = { relPath: c.str(o.rel_path ?? '', `${field}.rel_path`) };
  const size = c.optUint(o.size_bytes, `${field}.size_bytes`);
  if (size) out.sizeBytes = size;
  if (o.hash !== undefined && o.hash !== null) {
    const h = c.obj(o.hash, `${field}.hash`);
    out.hash = { hashFunc: c.str(h.hashFunc ?? '', `${field}.hash.hashFunc`), value: c.str(h.value ?? '', `${field}.hash.value`) };
  }
  return out;
}

function thanos(c: Checker, x: unknown): ThanosMeta {
  const o = c.obj(x, 'thanos');
  const version = c.optUint(o.version, 'thanos.version');
  if (version !== undefined && version !== 0 && version !== 1) c.fail('thanos.version', `is ${version}, only 1 is supported`);
  const labels: Record<string, string> = {};
  if (o.labels !== undefined && o.labels !== null) {
    const l = c.obj(o.labels, 'thanos.labels');
    for (const k of Object.keys(l)) labels[k] = c.str(l[k], `thanos.labels.${k}`);
  }
  const ds = c.obj(o.downsample ?? {}, 'thanos.downsample');
  const out: { -readonly [K in keyof ThanosMeta]: ThanosMeta[K] } = {
    labels,
    downsample: { resolution: c.int(ds.resolution ?? 0, 'thanos.downsample.resolution', 0) },
    source: c.str(o.source ?? '', 'thanos.source'),
  };
  if (version) out.version = version;
  const seg = c.optArray(o.segment_files, 'thanos.segment_files')?.map((s, i) => c.str(s, `thanos.segment_files[${i}]`));
  if (seg?.length) out.segmentFiles = seg;
  const files = c.optArray(o.files, 'thanos.files')?.map((f, i) => file(c, f, `thanos.files[${i}]`));
  if (files?.length) out.files = files;
  const rewrites = c.optArray(o.rewrites, 'thanos.rewrites');
  if (rewrites?.length) out.rewrites = rewrites;
  if (o.index_stats !== undefined && o.index_stats !== null) {
    const is = c.obj(o.index_stats, 'thanos.index_stats');
    const seriesMaxSize = c.optUint(is.series_max_size, 'thanos.index_stats.series_max_size');
    const chunkMaxSize = c.optUint(is.chunk_max_size, 'thanos.index_stats.chunk_max_size');
    if (seriesMaxSize || chunkMaxSize) out.indexStats = { ...(seriesMaxSize ? { seriesMaxSize } : {}), ...(chunkMaxSize ? { chunkMaxSize } : {}) };
  }
  if (o.extensions !== undefined && o.extensions !== null) out.extensions = o.extensions;
  if (o.upload_time !== undefined && o.upload_time !== null) {
    const t = c.str(o.upload_time, 'thanos.upload_time');
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(t)) c.fail('thanos.upload_time', 'is not an RFC 3339 time');
    if (t !== '0001-01-01T00:00:00Z') out.uploadTime = t;
  }
  return out;
}

/**
 * Validates parsed JSON as a block meta. Rules follow Prometheus's and Thanos's readers (version
 * must be 1, thanos.version 0 or 1) plus checks they leave implicit: ULIDs parse, times and
 * counters are safe integers, minTime <= maxTime, counters and level are non-negative.
 * Unknown keys are ignored, as Go does. Throws MetaError naming the field.
 */
export function validateMeta(x: unknown, fileName?: string): BlockMeta {
  const c = new Checker(fileName);
  const o = c.obj(x, '(root)');
  const version = c.int(o.version ?? 0, 'version');
  if (version !== 1) c.fail('version', `is ${version}, only 1 is supported`);
  const ulid = c.ulid(o.ulid, 'ulid');
  const minTime = c.int(o.minTime ?? 0, 'minTime');
  const maxTime = c.int(o.maxTime ?? 0, 'maxTime');
  if (minTime > maxTime) c.fail('maxTime', `(${maxTime}) is before minTime (${minTime})`);
  const meta: BlockMeta = { ulid, minTime, maxTime, stats: stats(c, o.stats), compaction: compaction(c, o.compaction), version: 1 };
  return o.thanos === undefined || o.thanos === null ? meta : { ...meta, thanos: thanos(c, o.thanos) };
}

/** Parses meta.json text (or bytes, which must be UTF-8) and validates it. */
export function parseMeta(text: string | Uint8Array, fileName?: string): BlockMeta {
  let s: string;
  if (typeof text === 'string') s = text;
  else {
    try { s = new TextDecoder('utf-8', { fatal: true }).decode(text); } catch (err) {
      throw new MetaError(`reading block meta${fileName ? ` in ${fileName}` : ''}: not valid UTF-8`, { cause: err, data: { field: '(root)', ...(fileName ? { file: fileName } : {}) } });
    }
  }
  let x: unknown;
  try { x = JSON.parse(s); } catch (err) {
    throw new MetaError(`reading block meta${fileName ? ` in ${fileName}` : ''}: invalid JSON: ${(err as Error).message}`, { cause: err, data: { field: '(root)', ...(fileName ? { file: fileName } : {}) } });
  }
  return validateMeta(x, fileName);
}
