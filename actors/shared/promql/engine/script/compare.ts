import { labelsKey, labelsToString } from '../../../labels/labels.js';
import type { Expected } from '../../testscript/commands.js';
import type { QueryValue } from '../result.js';

const EPSILON = 0.000001;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Prometheus 2.42 test harness float comparison (relative 1e-6, NaN equals NaN). */
export function almostEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || diff < MIN_NORMAL) return diff < EPSILON * MIN_NORMAL;
  return diff / (Math.abs(a) + Math.abs(b)) < EPSILON;
}

/** Compares a result with the expectation as 2.42's `evalCmd.compareResult`; returns an error text or undefined. */
export function compareResult(exp: Expected, got: QueryValue, ordered: boolean): string | undefined {
  if (got.type === 'matrix') return 'received range result on instant evaluation';
  if (got.type === 'string') return `received string result ${JSON.stringify(got.v)} on instant evaluation`;
  if (exp.kind === 'scalar') {
    if (got.type !== 'scalar') return `expected scalar ${exp.value} but got an instant vector of ${got.samples.length} samples`;
    return almostEqual(exp.value, got.v) ? undefined : `expected scalar ${exp.value} but got ${got.v}`;
  }
  if (got.type !== 'vector') return `expected an instant vector but got scalar ${got.v}`;
  const byKey = new Map(exp.series.map((s, pos) => [labelsKey(s.labels), { s, pos }]));
  const seen = new Set<string>();
  for (let pos = 0; pos < got.samples.length; pos++) {
    const smp = got.samples[pos]!;
    const key = labelsKey(smp.labels);
    const e = byKey.get(key);
    if (e === undefined) return `unexpected metric ${labelsToString(smp.labels)} in result`;
    if (ordered && e.pos !== pos) return `expected metric ${labelsToString(smp.labels)} at position ${e.pos + 1} but was at ${pos + 1}`;
    const ev = e.s.value;
    if (ev !== undefined && !ev.omitted && !almostEqual(ev.value, smp.v)) return `expected ${ev.value} for ${labelsToString(smp.labels)} but got ${smp.v}`;
    seen.add(key);
  }
  for (const [key, e] of byKey) if (!seen.has(key)) return `expected metric ${labelsToString(e.s.labels)} not found`;
  return undefined;
}
