/**
 * Table output in the three shapes of Thanos's `tools bucket inspect --output`: `table`
 * (olekukonko/tablewriter 0.0.5 as Thanos configures it: left/right borders, no top/bottom line,
 * `|` separators, centred headers, left-aligned cells), `csv` and `tsv` (Go's encoding/csv quoting).
 */

export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Display width: one column per code point (enough for the ASCII that block tables hold). */
function width(s: string): number { return [...s].length; }

export function renderTable(t: Table): string {
  const w = t.header.map((h, i) => Math.max(width(h), ...t.rows.map((r) => width(r[i] ?? ''))));
  const center = (s: string, n: number) => {
    const gap = n - width(s);
    if (gap <= 0) return s;
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + s + ' '.repeat(gap - left);
  };
  const lines: string[] = [];
  lines.push('|' + t.header.map((h, i) => ` ${center(h, w[i]!)} |`).join(''));
  lines.push('|' + w.map((n) => '-'.repeat(n + 2) + '|').join(''));
  for (const r of t.rows) lines.push('|' + w.map((n, i) => ` ${(r[i] ?? '').padEnd(n)} |`).join(''));
  return lines.join('\n') + '\n';
}

/** Go encoding/csv's rule for when a field needs quotes. */
function needsQuotes(field: string, comma: string): boolean {
  if (field === '') return false;
  if (field === '\\.') return true;
  if (field.includes(comma) || /["\r\n]/.test(field)) return true;
  return /^\s/u.test(field);
}

function delimited(t: Table, comma: string): string {
  const line = (r: readonly string[]) => r.map((f) => (needsQuotes(f, comma) ? `"${f.replace(/"/g, '""')}"` : f)).join(comma);
  return [t.header, ...t.rows].map(line).join('\n') + '\n';
}

export function renderCsv(t: Table): string { return delimited(t, ','); }
export function renderTsv(t: Table): string { return delimited(t, '\t'); }
