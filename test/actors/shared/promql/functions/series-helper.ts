/**
 * Test helper: expands the promql test-script series notation ("0+10x4 0+10x5", "1 _ NaN Inf")
 * into columnar arrays sampled every `intervalMs` from t=0, and selects a 2.42 window [from, to].
 */
export interface Columns { ts: Float64Array; vs: Float64Array }

function num(s: string): number {
  if (s === 'Inf' || s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  return Number(s);
}

export function load(intervalMs: number, spec: string): Columns {
  const ts: number[] = [];
  const vs: number[] = [];
  let i = 0;
  for (const tok of spec.trim().split(/\s+/)) {
    const m = /^([-+]?[^-+x]+)([-+])([^x]+)x(\d+)$/.exec(tok);
    if (m !== null) {
      const a = num(m[1]!);
      const step = (m[2] === '-' ? -1 : 1) * num(m[3]!);
      for (let k = 0; k <= Number(m[4]); k++) { ts.push(i * intervalMs); vs.push(a + k * step); i++; }
      continue;
    }
    if (tok !== '_') { ts.push(i * intervalMs); vs.push(num(tok)); }
    i++;
  }
  return { ts: Float64Array.from(ts), vs: Float64Array.from(vs) };
}

/** Indices [start, end) of samples with fromMs ≤ t ≤ toMs (Prometheus 2.x closed window). */
export function window(c: Columns, fromMs: number, toMs: number): [number, number] {
  let start = 0;
  while (start < c.ts.length && c.ts[start]! < fromMs) start++;
  let end = start;
  while (end < c.ts.length && c.ts[end]! <= toMs) end++;
  return [start, end];
}

export const MIN = 60_000;

/** Relative/absolute closeness like the promql test runner (1e-6 relative, NaN = NaN). */
export function close(a: number | undefined, b: number): boolean {
  if (a === undefined) return false;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}
