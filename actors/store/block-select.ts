import { labelsKey, type Labels } from '../shared/labels/labels.js';
import { Matcher, type MatcherSpec } from '../shared/labels/matcher.js';

/** What block selection needs of a block. */
export interface SelectableBlock {
  readonly id: string;
  readonly extLabels: Labels;
  readonly resolution: number;
  readonly meta: { readonly minTime: number; readonly maxTime: number };
}

/**
 * Splits matchers against a block's external labels: a matcher on an external label name decides
 * for the whole block (the label replaces any series label of that name) — if it rejects the
 * value the block is skipped (`undefined`), if it accepts it the matcher is dropped. The rest go
 * to the index. When nothing is left, `__name__=~".*"` selects every series (Prometheus selects
 * nothing for an empty matcher list).
 */
export function matchersForBlock(b: SelectableBlock, matchers: readonly MatcherSpec[]): MatcherSpec[] | undefined {
  const rest: MatcherSpec[] = [];
  for (const m of matchers) {
    const ext = b.extLabels.find((l) => l.name === m.name);
    if (ext === undefined) { rest.push(m); continue; }
    if (!Matcher.from(m).matches(ext.value)) return undefined;
  }
  return rest.length > 0 ? rest : [{ type: '=~', name: '__name__', value: '.*' }];
}

/** Request hints' block matchers: match against {external labels…, __block_id}. */
export function blockMatches(b: SelectableBlock, blockMatchers: readonly MatcherSpec[]): boolean {
  return blockMatchers.every((m) => {
    const v = m.name === '__block_id' ? b.id : (b.extLabels.find((l) => l.name === m.name)?.value ?? '');
    return Matcher.from(m).matches(v);
  });
}

/** A block chosen for a query and the part of the query range it answers. */
export interface SelectedBlock<B> {
  readonly block: B;
  readonly minTime: number;
  readonly maxTime: number;
}

/**
 * Blocks to read for [mint, maxt] with resolutions up to `maxResolutionWindow`, per stream (blocks
 * with the same external labels): the coarsest allowed resolution first, then finer resolutions
 * only where coarser blocks leave gaps (Thanos's getFor idea). Raw (0) is always allowed. A block
 * chosen to fill gaps answers only the span of the gaps it overlaps (chunk-granular), so a raw
 * block under a downsampled one does not return the same time twice. Sorted by block minTime, id.
 */
export function selectBlocks<B extends SelectableBlock>(blocks: readonly B[], mint: number, maxt: number, maxResolutionWindow: number): SelectedBlock<B>[] {
  const streams = new Map<string, B[]>();
  for (const b of blocks) {
    if (b.resolution > maxResolutionWindow || b.meta.maxTime <= mint || b.meta.minTime > maxt) continue;
    const k = labelsKey(b.extLabels);
    let l = streams.get(k);
    if (l === undefined) streams.set(k, (l = []));
    l.push(b);
  }
  const out: SelectedBlock<B>[] = [];
  for (const bs of streams.values()) {
    const resolutions = [...new Set(bs.map((b) => b.resolution))].sort((a, b) => b - a);
    let gaps: [number, number][] = [[mint, maxt]];
    for (const res of resolutions) {
      const chosen: B[] = [];
      for (const b of bs) {
        if (b.resolution !== res) continue;
        let lo = Infinity, hi = -Infinity;
        for (const [a, z] of gaps) {
          if (b.meta.minTime <= z && b.meta.maxTime > a) { lo = Math.min(lo, Math.max(a, b.meta.minTime)); hi = Math.max(hi, Math.min(z, b.meta.maxTime - 1)); }
        }
        if (lo <= hi) { out.push({ block: b, minTime: lo, maxTime: hi }); chosen.push(b); }
      }
      for (const b of chosen) gaps = subtract(gaps, b.meta.minTime, b.meta.maxTime - 1);
      if (gaps.length === 0) break;
    }
  }
  return out.sort((a, b) => a.block.meta.minTime - b.block.meta.minTime || (a.block.id < b.block.id ? -1 : a.block.id > b.block.id ? 1 : 0));
}

/** Removes the closed interval [lo, hi] from closed intervals. */
function subtract(gaps: readonly [number, number][], lo: number, hi: number): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of gaps) {
    if (hi < a || lo > b) { out.push([a, b]); continue; }
    if (a < lo) out.push([a, lo - 1]);
    if (hi < b) out.push([hi + 1, b]);
  }
  return out;
}
