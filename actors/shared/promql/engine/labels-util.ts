import { compareUtf8, labelsKey, METRIC_NAME, type Label, type Labels } from '../../labels/labels.js';
import { DUPLICATE_LABELSET, execError } from './errors.js';
import type { StepSeries } from './values.js';

export function dropName(ls: Labels): Labels {
  for (let i = 0; i < ls.length; i++) if (ls[i]!.name === METRIC_NAME) return ls.filter((l) => l.name !== METRIC_NAME);
  return ls;
}

/** Labels restricted to `names` (on) or without `names` and `__name__` (ignoring/without). */
export function matchLabels(ls: Labels, on: boolean, names: readonly string[]): Labels {
  if (on) return ls.filter((l) => names.includes(l.name));
  return ls.filter((l) => l.name !== METRIC_NAME && !names.includes(l.name));
}

/** A stable string key of the label subset used for matching/grouping. */
export function signature(ls: Labels, on: boolean, names: readonly string[]): string {
  return labelsKey(matchLabels(ls, on, names));
}

/** Sets (or with an empty value deletes) one label, keeping the set sorted. */
export function setLabel(ls: Labels, name: string, value: string): Labels {
  const out: Label[] = [];
  let done = false;
  for (const l of ls) {
    if (!done && compareUtf8(l.name, name) >= 0) {
      done = true;
      if (value !== '') out.push({ name, value });
      if (l.name === name) continue;
    }
    out.push(l);
  }
  if (!done && value !== '') out.push({ name, value });
  return out;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export function isValidLabelName(s: string): boolean { return LABEL_NAME.test(s); }

/**
 * Merges series with equal label sets (as Prometheus's range evaluation does across steps). With
 * `perStep`, two series that both have a value at one step are the 2.42 duplicate-labelset error;
 * without it any two non-empty series with equal labels are (2.42's whole-matrix check).
 * Empty series are dropped. Keeps first-appearance order.
 */
export function mergeSameLabels(series: StepSeries[], perStep: boolean): StepSeries[] {
  if (series.length < 2) return series.filter(nonEmpty);
  const byKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (const s of series) {
    if (!nonEmpty(s)) continue;
    const key = labelsKey(s.labels);
    const prev = byKey.get(key);
    if (prev === undefined) { byKey.set(key, s); out.push(s); continue; }
    if (!perStep) throw execError(DUPLICATE_LABELSET);
    for (let i = 0; i < s.has.length; i++) {
      if (s.has[i] === 0) continue;
      if (prev.has[i] === 1) throw execError(DUPLICATE_LABELSET);
      prev.has[i] = 1;
      prev.vs[i] = s.vs[i]!;
      if (prev.ts !== undefined && s.ts !== undefined) prev.ts[i] = s.ts[i]!;
    }
  }
  return out;
}

function nonEmpty(s: StepSeries): boolean {
  for (let i = 0; i < s.has.length; i++) if (s.has[i] === 1) return true;
  return false;
}
