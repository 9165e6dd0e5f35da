import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compareLabels, type Labels } from '../../labels/labels.js';
import type { MatcherSpec } from '../../labels/matcher.js';
import { formatGoFloat } from '../../promql/parser/literals.js';
import { goQuote } from '../../labels/go-quote.js';
import { BlockReader, type SelectedSeries, type SeriesSamples } from './reader.js';

const ULID_RE = /^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$/;

/**
 * Opens every block of a data directory (sub-directories named by a ULID, as Prometheus's
 * `DBReadOnly.Blocks` loads them), sorted by minTime. Temporary build directories are ignored.
 * If one block fails to open, the ones already opened are closed and the error is thrown.
 */
export async function openBlocks(dataDir: string): Promise<BlockReader[]> {
  const names = (await readdir(dataDir)).filter((n) => ULID_RE.test(n)).sort();
  const out: BlockReader[] = [];
  try {
    for (const n of names) {
      if (!(await stat(join(dataDir, n))).isDirectory()) continue;
      out.push(await BlockReader.open(join(dataDir, n)));
    }
  } catch (err) {
    await Promise.all(out.map((b) => b.close()));
    throw err;
  }
  return out.sort((a, b) => a.meta.minTime - b.meta.minTime);
}

/** A series merged over several blocks (same label set), as Prometheus's merge querier yields it. */
export interface MergedSeries {
  readonly labels: Labels;
  /** The per-block parts in block order (by minTime). */
  readonly parts: readonly SelectedSeries[];
  /** Samples of all parts merged by time; a timestamp present in several blocks is kept once (first block wins). */
  samples(): Promise<SeriesSamples>;
}

/**
 * Selects series from several blocks and merges them by label set (sorted), like a Prometheus
 * querier over a data directory: only blocks whose [minTime, maxTime) overlaps [mint, maxt] are read.
 */
export async function selectMerged(blocks: readonly BlockReader[], matchers: readonly MatcherSpec[], mint: number, maxt: number): Promise<MergedSeries[]> {
  const lists = await Promise.all(blocks.filter((b) => b.overlaps(mint, maxt)).map((b) => b.select(matchers, mint, maxt)));
  const all: { s: SelectedSeries; block: number }[] = [];
  lists.forEach((l, block) => { for (const s of l) all.push({ s, block }); });
  all.sort((a, b) => compareLabels(a.s.labels, b.s.labels) || a.block - b.block);
  const out: MergedSeries[] = [];
  for (let i = 0; i < all.length;) {
    let j = i + 1;
    while (j < all.length && compareLabels(all[i]!.s.labels, all[j]!.s.labels) === 0) j++;
    const parts = all.slice(i, j).map((x) => x.s);
    out.push({ labels: parts[0]!.labels, parts, samples: () => mergeSamples(parts) });
    i = j;
  }
  return out;
}

async function mergeSamples(parts: readonly SelectedSeries[]): Promise<SeriesSamples> {
  if (parts.length === 1) return parts[0]!.samples();
  const got = await Promise.all(parts.map((p) => p.samples()));
  const n = got.reduce((a, g) => a + g.ts.length, 0);
  const ts = new Float64Array(n), vs = new Float64Array(n);
  const at = new Array<number>(got.length).fill(0);
  let k = 0;
  for (;;) {
    let best = -1;
    for (let g = 0; g < got.length; g++) {
      if (at[g]! < got[g]!.ts.length && (best < 0 || got[g]!.ts[at[g]!]! < got[best]!.ts[at[best]!]!)) best = g;
    }
    if (best < 0) break;
    const t = got[best]!.ts[at[best]!]!;
    ts[k] = t; vs[k] = got[best]!.vs[at[best]!]!; k++;
    for (let g = 0; g < got.length; g++) if (at[g]! < got[g]!.ts.length && got[g]!.ts[at[g]!] === t) at[g]!++;
  }
  return { ts: ts.subarray(0, k), vs: vs.subarray(0, k) };
}

/** `labels.Labels.String()` of Prometheus: `{a="1", b="2"}` with Go `strconv.Quote`d values. */
export function formatDumpLabels(ls: Labels): string {
  let s = '{';
  for (let i = 0; i < ls.length; i++) s += (i > 0 ? ', ' : '') + ls[i]!.name + '=' + goQuote(ls[i]!.value);
  return s + '}';
}

export interface DumpOptions {
  readonly matchers: readonly MatcherSpec[];
  /** Inclusive bounds in ms (default: everything). */
  readonly mint?: number;
  readonly maxt?: number;
}

/**
 * Writes every selected sample of a data directory as `promtool tsdb dump` 2.42 prints it:
 * `<labels> <value %g> <timestamp>\n`, series sorted by label set, samples in time order merged
 * over blocks, values inside [mint, maxt] only, NaN (stale markers too) as `NaN`, ±Inf as `+Inf`/`-Inf`.
 * `write` is awaited for each batch of output (~64 KiB), so a slow consumer applies backpressure.
 * Returns the number of samples written.
 */
export async function dumpSamples(dataDir: string, opts: DumpOptions, write: (text: string) => Promise<void> | void): Promise<number> {
  const blocks = await openBlocks(dataDir);
  try {
    const mint = opts.mint ?? -Number.MAX_SAFE_INTEGER, maxt = opts.maxt ?? Number.MAX_SAFE_INTEGER;
    const series = await selectMerged(blocks, opts.matchers, mint, maxt);
    let buf = '', total = 0;
    for (const s of series) {
      const lbs = formatDumpLabels(s.labels) + ' ';
      const { ts, vs } = await s.samples();
      for (let i = 0; i < ts.length; i++) {
        buf += lbs + formatGoFloat(vs[i]!) + ' ' + ts[i]! + '\n';
        if (buf.length >= 65536) { await write(buf); buf = ''; }
      }
      total += ts.length;
    }
    if (buf !== '') await write(buf);
    return total;
  } finally {
    await Promise.all(blocks.map((b) => b.close()));
  }
}
