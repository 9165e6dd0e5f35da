import { goQuote } from './go-quote.js';

/**
 * Label sets as Prometheus has them: a list of name/value pairs sorted by name (UTF-8 byte order,
 * which equals JS code-unit order for the BMP and is handled exactly by `compareUtf8`), names unique.
 */
export interface Label {
  readonly name: string;
  readonly value: string;
}

export type Labels = readonly Label[];

export const METRIC_NAME = '__name__';

/**
 * Compares strings by their UTF-8 bytes, as Go does. JS `<` compares UTF-16 code units, which
 * differs only when a surrogate pair meets a code unit in U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) encode code points above U+FFFF, whose UTF-8 sorts above U+E000–U+FFFF.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x2000; else if (x >= 0xe000) x -= 0x800;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x2000; else if (y >= 0xe000) y -= 0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** Builds a sorted label set from a plain object; empty values are dropped, as Prometheus does. */
export function labelsFromObject(o: Readonly<Record<string, string>>): Labels {
  return Object.entries(o).filter(([, v]) => v !== '').map(([name, value]) => ({ name, value }))
    .sort((a, b) => compareUtf8(a.name, b.name));
}

/** Sorts pairs by name (stable) into a label set. */
export function labelsFromPairs(pairs: Iterable<Label>): Labels {
  return [...pairs].sort((a, b) => compareUtf8(a.name, b.name));
}

export function labelsToObject(ls: Labels): Record<string, string> {
  const o: Record<string, string> = {};
  for (const l of ls) o[l.name] = l.value;
  return o;
}

export function getLabel(ls: Labels, name: string): string | undefined {
  for (const l of ls) if (l.name === name) return l.value;
  return undefined;
}

/** Prometheus's label-set order: pairwise by name, then value; a prefix sorts first. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!, y = b[i]!;
    if (x.name !== y.name) return compareUtf8(x.name, y.name);
    if (x.value !== y.value) return compareUtf8(x.value, y.value);
  }
  return a.length - b.length;
}

export function labelsEqual(a: Labels, b: Labels): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.name !== b[i]!.name || a[i]!.value !== b[i]!.value) return false;
  return true;
}

/** Quotes a label value as Prometheus prints it (Go's strconv.Quote). */
export function quoteLabelValue(v: string): string {
  return goQuote(v);
}

/** Prometheus's `labels.Labels.String()`: `{a="1", b="2"}`. */
export function labelsToString(ls: Labels): string {
  return '{' + ls.map((l) => `${l.name}=${quoteLabelValue(l.value)}`).join(', ') + '}';
}

/** A stable map key for a label set (not for display). */
export function labelsKey(ls: Labels): string {
  let k = '';
  for (const l of ls) k += l.name + '\xff' + l.value + '\xff';
  return k;
}
