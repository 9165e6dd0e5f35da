/** One aligned sub-range `[start, end)` of an object. */
export interface Subrange { readonly start: number; readonly end: number }

/** The aligned sub-ranges of `size` bytes covering `[offset, end)`. */
export function subrangesFor(offset: number, end: number, size: number, sub: number): Subrange[] {
  const out: Subrange[] = [];
  for (let s = Math.floor(offset / sub) * sub; s < end; s += sub) out.push({ start: s, end: Math.min(s + sub, size) });
  return out;
}

/**
 * Groups missing sub-ranges (sorted) into contiguous runs, then, while there are more runs than
 * `maxRequests` (> 0), joins the two neighbours with the smallest gap; a joined run re-reads the
 * cached bytes in its gap. Each run becomes one backend GET.
 */
export function planFetches(missing: readonly Subrange[], maxRequests: number): Subrange[] {
  const runs: { start: number; end: number }[] = [];
  for (const m of missing) {
    const last = runs.at(-1);
    if (last !== undefined && last.end === m.start) last.end = m.end;
    else runs.push({ start: m.start, end: m.end });
  }
  while (maxRequests > 0 && runs.length > maxRequests) {
    let best = 0;
    for (let i = 1; i < runs.length - 1; i++) {
      if (runs[i + 1]!.start - runs[i]!.end < runs[best + 1]!.start - runs[best]!.end) best = i;
    }
    runs[best]!.end = runs[best + 1]!.end;
    runs.splice(best + 1, 1);
  }
  return runs;
}
