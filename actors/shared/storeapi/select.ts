import { compareLabels, type Labels } from '../labels/labels.js';
import { Matcher, type MatcherSpec } from '../labels/matcher.js';
import type { AggrChunk, Series } from './types.js';

/**
 * Series selection helpers shared by StoreAPI implementations (matching, time pruning, replica
 * label removal with a stable order). Pure functions over plain data.
 */

/** Whether every matcher accepts the label set (an absent label reads as ""). */
export function matchesAll(labels: Labels, matchers: readonly Matcher[]): boolean {
  for (const m of matchers) {
    let v = '';
    for (const l of labels) if (l.name === m.name) { v = l.value; break; }
    if (!m.matches(v)) return false;
  }
  return true;
}

export function compileMatchers(specs: readonly MatcherSpec[]): Matcher[] {
  return specs.map((s) => Matcher.from(s));
}

/** The chunks overlapping [minTime, maxTime] (inclusive). */
export function chunksIn(chunks: readonly AggrChunk[], minTime: number, maxTime: number): AggrChunk[] {
  return chunks.filter((c) => c.maxTime >= minTime && c.minTime <= maxTime);
}

/**
 * Removes the replica labels from every series and sorts by the stripped label set, ties by the
 * original label set, so copies of one series become adjacent, separate entries in a stable order
 * (the StoreAPI contract for `withoutReplicaLabels`).
 */
export function stripReplicaLabels(series: readonly Series[], replicaLabels: readonly string[]): Series[] {
  const keyed = series.map((s) => ({
    original: s.labels,
    series: replicaLabels.length === 0 ? s : { labels: s.labels.filter((l) => !replicaLabels.includes(l.name)), chunks: s.chunks },
  }));
  keyed.sort((a, b) => compareLabels(a.series.labels, b.series.labels) || compareLabels(a.original, b.original));
  return keyed.map((k) => k.series);
}
