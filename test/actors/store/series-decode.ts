/** Turns StoreAPI Series frames into promtool-dump-like samples, for oracle comparisons. */
import type { Labels } from '../../../actors/shared/labels/labels.js';
import type { StoreAPI } from '../../../actors/shared/storeapi/storeapi.js';
import type { SeriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import type { Series } from '../../../actors/shared/storeapi/types.js';
import { decodeXor } from '../../../actors/shared/tsdb/chunkenc/xor-decoder.js';
import { formatDumpLabels } from '../../../actors/shared/tsdb/block/dump.js';
import { parseDump } from '../../harness/promtool.js';

export async function collectSeries(store: StoreAPI, req: SeriesRequest): Promise<{ series: Series[]; warnings: string[] }> {
  const series: Series[] = [];
  const warnings: string[] = [];
  for await (const f of store.series(req, new AbortController().signal)) {
    if (f.kind === 'series') series.push(f.series);
    else if (f.kind === 'batch') series.push(...f.series);
    else if (f.kind === 'warning') warnings.push(f.message);
  }
  return { series, warnings };
}

const fmt = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

/** `labels value t` lines of the decoded raw chunks trimmed to [mint, maxt], minus `drop` labels. */
export function dumpLines(series: readonly Series[], mint: number, maxt: number, drop: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const s of series) {
    const ls: Labels = s.labels.filter((l) => !drop.includes(l.name));
    const name = formatDumpLabels(ls);
    for (const c of s.chunks) {
      const { ts, vs } = decodeXor(c.raw!.data);
      for (let i = 0; i < ts.length; i++) if (ts[i]! >= mint && ts[i]! <= maxt) out.push(`${name} ${fmt(vs[i]!)} ${ts[i]}`);
    }
  }
  return out;
}

/** The same lines from `promtool tsdb dump` output. */
export function promtoolLines(out: string): string[] {
  return parseDump(out).map((d) => `${d.labels} ${fmt(d.v)} ${d.t}`);
}
