import type { MatcherSpec } from '../../labels/matcher.js';
import { compareUtf8 } from '../../labels/labels.js';
import { postingsForMatchers, type PostingsSource } from './matchers.js';
import { intersect2, type Postings } from './postings.js';
import type { SeriesEntry } from './series.js';

/** What the label queries need beyond postings: reading series entries. */
export interface LabelQuerySource extends PostingsSource {
  seriesMany(refs: ArrayLike<number>): Promise<SeriesEntry[]>;
  /** Postings of each `name=v` separately, in the order of `values`. */
  postingsEach(name: string, values: readonly string[]): Promise<Postings[]>;
}

/**
 * Values of `name` on series selected by `matchers` (Prometheus's `labelValuesWithMatchers`):
 * a value is kept when its postings intersect the selection. Sorted by UTF-8 bytes.
 */
export async function labelValuesFor(ix: LabelQuerySource, name: string, matchers: readonly MatcherSpec[]): Promise<string[]> {
  const values = ix.labelValues(name);
  if (values.length === 0) return [];
  const selected = await postingsForMatchers(ix, matchers);
  if (selected.length === 0) return [];
  const lists = await ix.postingsEach(name, values);
  return values.filter((_, i) => intersect2(selected, lists[i]!).length > 0);
}

/** Label names present on series selected by `matchers` (reads those series), sorted by UTF-8 bytes. */
export async function labelNamesFor(ix: LabelQuerySource, matchers: readonly MatcherSpec[]): Promise<string[]> {
  const selected = await postingsForMatchers(ix, matchers);
  const names = new Set<string>();
  const BATCH = 4096;
  for (let i = 0; i < selected.length; i += BATCH) {
    for (const s of await ix.seriesMany(selected.subarray(i, i + BATCH))) for (const l of s.labels) names.add(l.name);
  }
  return [...names].sort(compareUtf8);
}
