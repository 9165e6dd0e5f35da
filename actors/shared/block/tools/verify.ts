import type { BucketReader } from '../../objstore/bucket.js';
import type { BlockMeta } from '../../tsdb/meta/types.js';
import { groupKey } from '../filters.js';
import { checkIndex } from './index-check.js';

/**
 * Issue kinds of `tools bucket verify`. `overlapped_blocks` and `index_known_issues` are Thanos's
 * ids (same meaning); `block_files` is ours: files listed in meta.json (or, without a `files`
 * list, the index and `segment_files`) missing from the bucket or with another size.
 */
export const ISSUES = ['overlapped_blocks', 'block_files', 'index_known_issues'] as const;
export type IssueId = (typeof ISSUES)[number];

/** One problem found in one block. */
export interface VerifyIssue {
  readonly block: string;
  readonly issue: IssueId;
  readonly message: string;
}

export interface VerifyOptions {
  readonly issues: readonly IssueId[];
  readonly signal?: AbortSignal | undefined;
  /** Called after each block's file/index checks (for a progress bar). */
  readonly onBlock?: ((done: number, total: number) => void) | undefined;
}

/**
 * Blocks of the same compaction group (resolution + external labels) whose [minTime, maxTime)
 * ranges intersect. Each overlapping pair gives one issue on each of its two blocks.
 */
export function findOverlaps(metas: Iterable<BlockMeta>): VerifyIssue[] {
  const groups = new Map<string, BlockMeta[]>();
  for (const m of metas) {
    const k = groupKey(m);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(m);
  }
  const out: VerifyIssue[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => a.minTime - b.minTime || a.maxTime - b.maxTime || (a.ulid < b.ulid ? -1 : 1));
    for (let i = 0; i < g.length; i++) {
      for (let j = i + 1; j < g.length && g[j]!.minTime < g[i]!.maxTime; j++) {
        const a = g[i]!, b = g[j]!;
        const lo = Math.max(a.minTime, b.minTime), hi = Math.min(a.maxTime, b.maxTime);
        out.push({ block: a.ulid, issue: 'overlapped_blocks', message: `overlaps block ${b.ulid} in [${lo}, ${hi})` });
        out.push({ block: b.ulid, issue: 'overlapped_blocks', message: `overlaps block ${a.ulid} in [${lo}, ${hi})` });
      }
    }
  }
  return out;
}

/** Sizes of every object below `<id>/`, by path relative to the block directory. */
async function listBlock(bkt: BucketReader, id: string, signal?: AbortSignal): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const name of bkt.iter(id, { recursive: true, signal })) {
    out.set(name.slice(id.length + 1), (await bkt.attributes(name, { signal })).size);
  }
  return out;
}

/** Missing files and size mismatches of one block against its meta.json. */
export function checkFiles(meta: BlockMeta, present: ReadonlyMap<string, number>): VerifyIssue[] {
  const out: VerifyIssue[] = [];
  const add = (message: string) => out.push({ block: meta.ulid, issue: 'block_files', message });
  const files = meta.thanos?.files;
  if (files && files.length > 0) {
    for (const f of files) {
      if (f.relPath === 'meta.json') continue;
      const size = present.get(f.relPath);
      if (size === undefined) add(`missing file ${f.relPath} (listed in meta.json)`);
      else if (f.sizeBytes !== undefined && f.sizeBytes !== size) add(`size mismatch of ${f.relPath}: ${size} bytes in the bucket, ${f.sizeBytes} in meta.json`);
    }
  } else {
    if (!present.has('index')) add('missing file index');
    for (const s of meta.thanos?.segmentFiles ?? []) if (!present.has(`chunks/${s}`)) add(`missing file chunks/${s} (listed in meta.json segment_files)`);
  }
  return out;
}

/**
 * Verifies the given blocks: overlaps across them, then per block (in ULID order) its files and its
 * index, read by ranges from the bucket. Returns every issue, ordered by block then check.
 * Object-store failures reject (they are not block issues).
 */
export async function verifyBlocks(bkt: BucketReader, metas: readonly BlockMeta[], o: VerifyOptions): Promise<VerifyIssue[]> {
  const want = new Set(o.issues);
  const issues: VerifyIssue[] = want.has('overlapped_blocks') ? findOverlaps(metas) : [];
  const sorted = [...metas].sort((a, b) => (a.ulid < b.ulid ? -1 : 1));
  let done = 0;
  for (const m of sorted) {
    if (want.has('block_files') || want.has('index_known_issues')) {
      const present = await listBlock(bkt, m.ulid, o.signal);
      if (want.has('block_files')) issues.push(...checkFiles(m, present));
      if (want.has('index_known_issues')) {
        if (!present.has('index')) issues.push({ block: m.ulid, issue: 'index_known_issues', message: 'no index to check' });
        else {
          const segs = new Map<string, number>();
          for (const [p, size] of present) if (/^chunks\/\d{6}$/.test(p)) segs.set(p.slice(7), size);
          for (const message of await checkIndex(bkt, m, segs, o.signal)) issues.push({ block: m.ulid, issue: 'index_known_issues', message });
        }
      }
    }
    o.onBlock?.(++done, sorted.length);
  }
  const order = new Map(ISSUES.map((x, i) => [x, i]));
  return issues.sort((a, b) => (a.block < b.block ? -1 : a.block > b.block ? 1 : order.get(a.issue)! - order.get(b.issue)!));
}
