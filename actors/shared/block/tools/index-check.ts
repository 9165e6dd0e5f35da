import type { BucketReader } from '../../objstore/bucket.js';
import { compareLabels, labelsToString, type Labels } from '../../labels/labels.js';
import { IndexReader } from '../../tsdb/index/reader.js';
import type { BlockMeta } from '../../tsdb/meta/types.js';
import { bucketSource } from './bucket-source.js';

/** Series entries read per batch while walking the index. */
const BATCH = 1024;
/** At most this many messages of one kind per block; the rest are counted. */
const MAX_PER_KIND = 5;

/**
 * Checks a block's index in the bucket through ranged reads (it is never downloaded whole):
 * the file opens (header, TOC, CRCs, symbols strictly sorted — IndexReader refuses anything else);
 * the all-postings list is strictly increasing; every series has sorted, unique, non-empty label
 * names, series are strictly sorted by labels (so unique); each chunk has mint ≤ maxt, chunks do not
 * overlap and lie within the block's [minTime, maxTime] (Thanos's "outside chunks" rule); every chunk
 * ref points into an existing segment past its header and before its end; every label value's
 * postings list is sorted and only names series of the all-postings list. Returns problem messages
 * (empty when healthy). `segmentSizes` maps `000001`-style names to object sizes.
 */
export async function checkIndex(bkt: BucketReader, meta: BlockMeta, segmentSizes: ReadonlyMap<string, number>, signal?: AbortSignal): Promise<string[]> {
  const problems = new Map<string, { msgs: string[]; n: number }>();
  const report = (kind: string, msg: string) => {
    let p = problems.get(kind);
    if (!p) problems.set(kind, (p = { msgs: [], n: 0 }));
    if (++p.n <= MAX_PER_KIND) p.msgs.push(msg);
  };
  const src = await bucketSource(bkt, `${meta.ulid}/index`, signal);
  try {
    const ir = await IndexReader.open(src, meta.thanos?.indexStats?.seriesMaxSize ? { seriesSizeHint: meta.thanos.indexStats.seriesMaxSize } : {});
    const syms = ir.symbols;
    for (let i = 1; i < syms.length; i++) {
      if (!(syms[i - 1]! < syms[i]!)) { report('symbols', `symbols not sorted at ${i}: ${JSON.stringify(syms[i - 1])} ≥ ${JSON.stringify(syms[i])}`); break; }
    }
    const all = await ir.allPostings();
    for (let i = 1; i < all.length; i++) if (all[i]! <= all[i - 1]!) report('postings', `all-postings list not strictly increasing at position ${i}`);
    let prevLabels: Labels | undefined;
    for (let at = 0; at < all.length; at += BATCH) {
      const refs = all.subarray(at, Math.min(all.length, at + BATCH));
      const entries = await ir.seriesMany(refs);
      for (let k = 0; k < entries.length; k++) {
        const s = entries[k]!;
        const ls = s.labels;
        const name = labelsToString(ls);
        if (ls.length === 0) report('labels', `series ref ${refs[k]} has no labels`);
        for (let j = 1; j < ls.length; j++) {
          if (!(ls[j - 1]!.name < ls[j]!.name)) { report('labels', `series ${name}: label names not sorted or duplicated`); break; }
        }
        if (prevLabels !== undefined) {
          const c = compareLabels(prevLabels, ls);
          if (c === 0) report('series-order', `series ${name} appears twice`);
          else if (c > 0) report('series-order', `series ${name} sorts before the series preceding it`);
        }
        prevLabels = ls;
        let lastMax = -Infinity;
        for (const c of s.chunks) {
          if (c.mint > c.maxt) report('chunks', `series ${name}: chunk [${c.mint}, ${c.maxt}] has mint > maxt`);
          if (c.mint <= lastMax) report('chunks', `series ${name}: chunk [${c.mint}, ${c.maxt}] overlaps or precedes the previous chunk`);
          lastMax = c.maxt;
          if (c.mint < meta.minTime || c.maxt > meta.maxTime) {
            report('outside', `series ${name}: chunk [${c.mint}, ${c.maxt}] outside the block range [${meta.minTime}, ${meta.maxTime})`);
          }
          const seg = Math.floor(c.ref / 2 ** 32), off = c.ref % 2 ** 32;
          const file = String(seg + 1).padStart(6, '0');
          const size = segmentSizes.get(file);
          if (size === undefined) report('chunk-ref', `series ${name}: chunk ref ${c.ref} points to missing segment chunks/${file}`);
          else if (off < 8 || off >= size) report('chunk-ref', `series ${name}: chunk ref ${c.ref} offset ${off} outside chunks/${file} (${size} bytes)`);
        }
      }
    }
    const allSet = new Set(all);
    for (const ln of ir.labelNames()) {
      const values = ir.labelValues(ln);
      const lists = await ir.postingsEach(ln, values);
      for (let v = 0; v < lists.length; v++) {
        const p = lists[v]!;
        for (let i = 0; i < p.length; i++) {
          if (i > 0 && p[i]! <= p[i - 1]!) { report('postings', `postings of ${ln}=${JSON.stringify(values[v])} not strictly increasing`); break; }
          if (!allSet.has(p[i]!)) { report('postings', `postings of ${ln}=${JSON.stringify(values[v])} name series ref ${p[i]} missing from the all-postings list`); break; }
        }
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'TSDB_CORRUPT_INDEX' && code !== 'TSDB_CORRUPT') throw err;
    report('corrupt', `index unreadable: ${(err as Error).message}`);
  } finally {
    await src.close();
  }
  const out: string[] = [];
  for (const { msgs, n } of problems.values()) {
    out.push(...msgs);
    if (n > msgs.length) out.push(`… and ${n - msgs.length} more like the above`);
  }
  return out;
}
