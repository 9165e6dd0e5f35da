import { labelsFromObject, labelsToString, type Labels } from '../../../../../actors/shared/labels/labels.js';
import type { SampleSeries } from '../../../../../actors/shared/storeapi/memory-store.js';
import type { SeriesFrame } from '../../../../../actors/shared/storeapi/protocol.js';
import type { Series } from '../../../../../actors/shared/storeapi/types.js';
import { decodeXor } from '../../../../../actors/shared/tsdb/chunkenc/index.js';

/** Data every StoreAPI under the acceptance suite must serve: series as samples + one external label set. */
export interface ContractFixture {
  readonly series: readonly SampleSeries[];
  /** Added to every series by the store (replacing a series label of the same name). */
  readonly externalLabels: Labels;
}

export const H = 3_600_000;
const every = (from: number, to: number, step: number, f: (t: number) => number): [number, number][] => {
  const out: [number, number][] = [];
  for (let t = from; t <= to; t += step) out.push([t, f(t)]);
  return out;
};

/** Fixture series by short id (labels as stored, without external labels). */
export const SERIES: Readonly<Record<string, SampleSeries>> = {
  upA1R0: { labels: labelsFromObject({ __name__: 'up', job: 'api', instance: 'a:1', replica: 'r0' }), samples: every(0, 3 * H, 30_000, () => 1) },
  upA1R1: { labels: labelsFromObject({ __name__: 'up', job: 'api', instance: 'a:1', replica: 'r1' }), samples: every(0, 3 * H, 30_000, (t) => (t / H) % 2) },
  upA2: { labels: labelsFromObject({ __name__: 'up', job: 'api', instance: 'a:2' }), samples: every(0, 3 * H, 60_000, () => 0) },
  upB1: { labels: labelsFromObject({ __name__: 'up', job: 'db', instance: 'b:1', replica: 'r0' }), samples: every(2 * H, 3 * H, 15_000, () => 1) },
  http200: { labels: labelsFromObject({ __name__: 'http_requests_total', job: 'api', code: '200', handler: '/' }), samples: every(0, H, 15_000, (t) => t / 1000) },
  http500: { labels: labelsFromObject({ __name__: 'http_requests_total', job: 'api', code: '500', handler: '/x' }), samples: every(0, H, 15_000, (t) => t / 7000) },
  nodeCpu: { labels: labelsFromObject({ __name__: 'node_cpu', cpu: '0', mode: 'idle' }), samples: every(0, 600_000, 10_000, (t) => t * 0.5) },
  /** Carries a label named like the external label: the external value wins. */
  shadowed: { labels: labelsFromObject({ __name__: 'shadowed', region: 'us' }), samples: every(0, 600_000, 60_000, () => 2) },
  weird: { labels: labelsFromObject({ __name__: 'weird', path: 'ä/ü', note: 'a\nb' }), samples: every(0, 3 * H, 300_000, () => Math.PI) },
};

/** Ids in the store's sort order (labels incl. external ones). */
export const ALL = ['http200', 'http500', 'nodeCpu', 'shadowed', 'upA1R0', 'upA1R1', 'upA2', 'upB1', 'weird'] as const;

export const FIXTURE: ContractFixture = {
  externalLabels: labelsFromObject({ region: 'eu' }),
  series: ALL.map((id) => SERIES[id]!),
};

/** The label string a store returns for fixture series `id` (external labels added, `drop` removed). */
export function expectedLabels(id: string, drop: readonly string[] = []): string {
  const s = SERIES[id]!;
  const ext = FIXTURE.externalLabels;
  const ls = [...s.labels.filter((l) => !ext.some((e) => e.name === l.name)), ...ext].filter((l) => !drop.includes(l.name));
  return labelsToString(labelsFromObject(Object.fromEntries(ls.map((l) => [l.name, l.value]))));
}

export function flat(fs: readonly SeriesFrame[]): Series[] {
  return fs.flatMap((f) => (f.kind === 'series' ? [f.series] : f.kind === 'batch' ? [...f.series] : []));
}

/** Decoded samples of a returned series' raw XOR chunks within [min, max]. */
export function decodedIn(s: Series, min: number, max: number): [number, number][] {
  const out: [number, number][] = [];
  for (const c of s.chunks) {
    if (c.raw === undefined) continue;
    const { ts, vs } = decodeXor(c.raw.data);
    for (let i = 0; i < ts.length; i++) if (ts[i]! >= min && ts[i]! <= max) out.push([ts[i]!, vs[i]!]);
  }
  return out;
}

/** Fixture samples of `id` within [min, max]. */
export function samplesIn(id: string, min: number, max: number): [number, number][] {
  return SERIES[id]!.samples.filter(([t]) => t >= min && t <= max).map(([t, v]) => [t, v]);
}
