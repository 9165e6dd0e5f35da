import type { Labels } from '../shared/labels/labels.js';
import type { Matcher, MatcherSpec } from '../shared/labels/matcher.js';
import type { InfoResponse } from '../shared/storeapi/protocol.js';
import { MAX_TIME, MIN_TIME } from '../shared/storeapi/types.js';

/** The label `storeMatch[]` selectors match a store by (Thanos's debug `__address__`). */
export const STORE_ADDRESS_LABEL = '__address__';

/** True when [aMin, aMax] and [bMin, bMax] share at least one millisecond (inclusive bounds). */
export function rangesOverlap(aMin: number, aMax: number, bMin: number, bMax: number): boolean {
  return aMin <= bMax && bMin <= aMax;
}

/**
 * Whether a label set advertised by a store can hold series selected by `matchers`: every matcher
 * on a label present in the set must accept its value; labels absent from the set never prune.
 */
export function labelSetCompatible(set: Labels, matchers: readonly Matcher[]): boolean {
  for (const m of matchers) {
    const l = set.find((x) => x.name === m.name);
    if (l !== undefined && !m.matches(l.value)) return false;
  }
  return true;
}

/**
 * Thanos's store selection for one request: a store is kept when its time range overlaps
 * [minTime, maxTime], at least one of its label sets is compatible with the matchers (a store
 * advertising no label set is always compatible), and — when `storeMatch` sets are given — its
 * name satisfies at least one of them as `__address__`.
 */
export function storeMatches(
  name: string, info: InfoResponse, minTime: number, maxTime: number, matchers: readonly Matcher[],
  storeMatch: readonly (readonly Matcher[])[] = [],
): boolean {
  const sMin = info.store?.minTime ?? MIN_TIME, sMax = info.store?.maxTime ?? MAX_TIME;
  if (!rangesOverlap(sMin, sMax, minTime, maxTime)) return false;
  if (info.labelSets.length > 0 && !info.labelSets.some((s) => labelSetCompatible(s, matchers))) return false;
  if (storeMatch.length > 0 && !storeMatch.some((set) => set.every((m) => m.name !== STORE_ADDRESS_LABEL || m.matches(name)))) return false;
  return true;
}

/** A plain MatcherSpec (what crosses the wire) of a compiled Matcher. */
export function specOf(m: MatcherSpec): MatcherSpec {
  return { type: m.type, name: m.name, value: m.value };
}
