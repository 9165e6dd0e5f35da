import { labelsFromObject } from '../labels/labels.js';
import { relabel, type RelabelConfig } from '../labels/relabel.js';
import type { BlockMeta } from '../tsdb/meta/types.js';
import type { MetaFilter } from './fetcher.js';
import { readMarker } from './markers.js';
import { resolveTimeFlag, type TimeFlag } from './time-flag.js';
import { ulidTimeMs } from './ulid.js';

/**
 * The Thanos meta filters (pkg/block/fetcher.go), applied by the MetaFetcher in the order given.
 */

/** Keeps blocks overlapping [min, max] (relative flags resolve at each sync). State `time-excluded`. */
export function timePartitionFilter(min: TimeFlag, max: TimeFlag): MetaFilter {
  return async (metas, ctx) => {
    const lo = resolveTimeFlag(min, ctx.nowMs);
    const hi = resolveTimeFlag(max, ctx.nowMs);
    for (const [id, m] of metas) {
      if (m.maxTime < lo || m.minTime > hi) { metas.delete(id); ctx.count('time-excluded'); }
    }
  };
}

/** Relabels {external labels…, __block_id} and drops blocks whose result is empty. State `label-excluded`. */
export function labelShardFilter(configs: readonly RelabelConfig[]): MetaFilter {
  return async (metas, ctx) => {
    if (configs.length === 0) return;
    for (const [id, m] of metas) {
      const ls = labelsFromObject({ ...(m.thanos?.labels ?? {}), __block_id: id });
      if (relabel(ls, configs) === undefined) { metas.delete(id); ctx.count('label-excluded'); }
    }
  };
}

const DELAY_EXEMPT_SOURCES = new Set(['compactor', 'compactor.repair', 'bucket.repair']);

/** Drops blocks younger than `delayMs` (by upload time, else ULID time), except compactor outputs. State `too-fresh`. */
export function consistencyDelayFilter(delayMs: number): MetaFilter {
  return async (metas, ctx) => {
    if (delayMs <= 0) return;
    for (const [id, m] of metas) {
      if (DELAY_EXEMPT_SOURCES.has(m.thanos?.source ?? '')) continue;
      const up = m.thanos?.uploadTime && !m.thanos.uploadTime.startsWith('0001-') ? Date.parse(m.thanos.uploadTime) : ulidTimeMs(id);
      if (ctx.nowMs - up < delayMs) { metas.delete(id); ctx.count('too-fresh'); }
    }
  };
}

/**
 * Drops blocks whose deletion mark is older than `delayMs` (stores use half the compactor's delete
 * delay so they let go before the blocks disappear). `marks` receives every deletion mark seen.
 * State `marked-for-deletion`. Unreadable marks are left for the next sync (block kept).
 */
export function ignoreDeletionMarkFilter(delayMs: number, marks?: Map<string, number>, concurrency = 32): MetaFilter {
  return async (metas, ctx) => {
    const ids = [...metas.keys()];
    let next = 0;
    marks?.clear();
    const work = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        let mark;
        try { mark = await readMarker(ctx.bucket, id, 'deletion', ctx.signal); } catch { continue; }
        if (!mark) continue;
        marks?.set(id, mark.timeSec);
        if (ctx.nowMs - mark.timeSec * 1000 > delayMs) { metas.delete(id); ctx.count('marked-for-deletion'); }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, work));
  };
}

/** Compaction group of a block: resolution and external labels (Thanos's GroupKey shape). */
export function groupKey(m: BlockMeta): string {
  const ls = labelsFromObject(m.thanos?.labels ?? {});
  return `${m.thanos?.downsample.resolution ?? 0}@${ls.map((l) => `${l.name}=${l.value}`).join(',')}`;
}

/**
 * Within a compaction group, drops a block whose compaction sources are all contained in another
 * block's sources (the compacted block already covers it). Of blocks with identical sources the
 * one with the smallest ULID stays. State `duplicate`.
 */
export function deduplicateFilter(): MetaFilter {
  return async (metas, ctx) => {
    const groups = new Map<string, BlockMeta[]>();
    for (const m of metas.values()) {
      const k = groupKey(m);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(m);
    }
    for (const g of groups.values()) {
      // Larger source sets first; ties by ULID so the result is deterministic.
      g.sort((a, b) => sources(b).size - sources(a).size || (a.ulid < b.ulid ? -1 : 1));
      const kept: BlockMeta[] = [];
      for (const m of g) {
        const s = sources(m);
        if (kept.some((k) => [...s].every((x) => sources(k).has(x)))) { metas.delete(m.ulid); ctx.count('duplicate'); } else kept.push(m);
      }
    }
  };
}

function sources(m: BlockMeta): Set<string> {
  return new Set(m.compaction.sources?.length ? m.compaction.sources : [m.ulid]);
}
