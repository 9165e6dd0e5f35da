import type { MatcherSpec } from '../shared/labels/matcher.js';
import type { RequestHints } from '../shared/storeapi/types.js';

/**
 * Loop detection for query-of-queriers. Each querier that forwards a Series/label request adds a
 * block matcher `__athanor_querier_hop__ != "<querier id>"` to the request hints. To a store such a
 * matcher is harmless (no block carries that label, and "" != id holds), and it survives every
 * validator and wire hop because it is an ordinary matcher; to a querier it is the list of queriers
 * the request already passed through.
 */
export const HOP_LABEL = '__athanor_querier_hop__';

/** The querier ids recorded in a request's hints, in order. */
export function hopsOf(hints: RequestHints | undefined): string[] {
  return (hints?.blockMatchers ?? []).filter((m) => m.name === HOP_LABEL && m.type === '!=').map((m) => m.value);
}

/** Request hints carrying `hops` (plus any non-hop block matchers of `base`). */
export function hintsWithHops(hops: readonly string[], base?: RequestHints): RequestHints | undefined {
  const others = (base?.blockMatchers ?? []).filter((m) => m.name !== HOP_LABEL);
  if (hops.length === 0 && base === undefined) return undefined;
  const blockMatchers: MatcherSpec[] = [...others, ...hops.map((value): MatcherSpec => ({ type: '!=', name: HOP_LABEL, value }))];
  return { blockMatchers, enableQueryStats: base?.enableQueryStats ?? false };
}
