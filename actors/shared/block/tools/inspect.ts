import type { BlockMeta } from '../../tsdb/meta/types.js';
import { goDuration, goRfc3339, thousands } from './go-format.js';
import type { Table } from './table.js';

/** Thanos's `tools bucket inspect` columns, in order. */
export const INSPECT_COLUMNS = ['ULID', 'FROM', 'UNTIL', 'RANGE', 'UNTIL-DOWN', '#SERIES', '#SAMPLES', '#CHUNKS',
  'COMP-LEVEL', 'COMP-FAILED', 'LABELS', 'RESOLUTION', 'SOURCE'] as const;
export type InspectColumn = (typeof INSPECT_COLUMNS)[number];

/** Thanos's default `--sort-by`. */
export const DEFAULT_SORT: readonly InspectColumn[] = ['FROM', 'UNTIL'];

/** A block whose span reaches these is downsampled to the next resolution (Thanos's ResLevel{1,2}DownsampleRange). */
const DOWNSAMPLE_RANGE: Readonly<Record<number, number>> = { 0: 40 * 3_600_000, 300_000: 10 * 24 * 3_600_000 };

/** One inspected block: the printed cells and the typed values they came from (for sorting and JSON). */
export interface InspectRow {
  readonly meta: BlockMeta;
  readonly cells: readonly string[];
  readonly keys: readonly (number | string)[];
}

/** Time left until the block spans enough to be downsampled; undefined for 1h blocks (no further level). */
export function untilNextDownsampling(m: BlockMeta): number | undefined {
  const r = DOWNSAMPLE_RANGE[m.thanos?.downsample.resolution ?? 0];
  return r === undefined ? undefined : r - (m.maxTime - m.minTime);
}

/** True when every selector label is among the block's external labels with the same value. */
export function matchesSelector(m: BlockMeta, selector: Readonly<Record<string, string>>): boolean {
  const ls = m.thanos?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(ls, k) && ls[k] === v);
}

export function inspectRow(m: BlockMeta): InspectRow {
  const labels = Object.keys(m.thanos?.labels ?? {}).sort().map((k) => `${k}=${m.thanos!.labels[k]}`).join(',');
  const range = m.maxTime - m.minTime;
  const until = untilNextDownsampling(m);
  const res = m.thanos?.downsample.resolution ?? 0;
  const s = m.stats;
  const fromSec = Math.trunc(m.minTime / 1000) * 1000, untilSec = Math.trunc(m.maxTime / 1000) * 1000;
  return {
    meta: m,
    cells: [m.ulid, goRfc3339(m.minTime), goRfc3339(m.maxTime), goDuration(range), until === undefined ? '-' : goDuration(until),
      thousands(s.numSeries ?? 0), thousands(s.numSamples ?? 0), thousands(s.numChunks ?? 0), thousands(m.compaction.level),
      String(m.compaction.failed === true), labels, goDuration(res), m.thanos?.source ?? ''],
    keys: [m.ulid, fromSec, untilSec, range, until ?? '-', s.numSeries ?? 0, s.numSamples ?? 0, s.numChunks ?? 0,
      m.compaction.level, String(m.compaction.failed === true), labels, res, m.thanos?.source ?? ''],
  };
}

function cmp(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a), y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Rows for the blocks matching `selector`, sorted by the `sortBy` columns in turn, then by ULID —
 * Thanos's order (it compares times, durations and numbers by value, other cells as strings).
 */
export function inspectRows(metas: Iterable<BlockMeta>, selector: Readonly<Record<string, string>>, sortBy: readonly InspectColumn[]): InspectRow[] {
  const idx = sortBy.map((c) => INSPECT_COLUMNS.indexOf(c));
  const rows = [...metas].filter((m) => matchesSelector(m, selector)).map(inspectRow);
  return rows.sort((a, b) => {
    for (const i of idx) { const c = cmp(a.keys[i]!, b.keys[i]!); if (c !== 0) return c; }
    return cmp(a.keys[0]!, b.keys[0]!);
  });
}

export function inspectTable(rows: readonly InspectRow[]): Table {
  return { header: INSPECT_COLUMNS, rows: rows.map((r) => r.cells) };
}

/** The JSON form of a row (ours; Thanos has no JSON inspect): typed values, times in ms and RFC3339. */
export function inspectJson(r: InspectRow): Record<string, unknown> {
  const m = r.meta;
  const until = untilNextDownsampling(m);
  return {
    ulid: m.ulid, minTime: m.minTime, maxTime: m.maxTime, from: r.cells[1], until: r.cells[2], range: r.cells[3],
    untilDown: until === undefined ? null : r.cells[4], numSeries: m.stats.numSeries ?? 0, numSamples: m.stats.numSamples ?? 0,
    numChunks: m.stats.numChunks ?? 0, compactionLevel: m.compaction.level, compactionFailed: m.compaction.failed === true,
    labels: { ...(m.thanos?.labels ?? {}) }, resolution: m.thanos?.downsample.resolution ?? 0, source: m.thanos?.source ?? '',
  };
}
