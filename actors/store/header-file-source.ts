import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../shared/tsdb/bytes/source.js';
import type { HeaderRange } from './index-header.js';

/** Where one range of the remote index lies inside the local index-header file. */
export interface HeaderFileRange { readonly offset: number; readonly length: number; readonly filePos: number }

/**
 * Positions of the ranges' bytes in an index-header file holding `ranges` in this order (the layout
 * `writeIndexHeader` writes and `readIndexHeader` reads: 17-byte preamble, then per range a 12-byte
 * offset/length prefix and the bytes), plus the file's total size.
 */
export function headerFileLayout(ranges: readonly HeaderRange[]): { ranges: HeaderFileRange[]; size: number } {
  let pos = 17;
  const out: HeaderFileRange[] = [];
  for (const r of ranges) {
    out.push({ offset: r.offset, length: r.bytes.length, filePos: pos + 12 });
    pos += 12 + r.bytes.length;
  }
  return { ranges: out, size: pos + 4 };
}

/**
 * A ByteSource over the remote index that answers a read falling inside a range of the local
 * index-header file from that file (one FileHandle, positional reads), else from `remote`. Only the
 * range directory is held in memory. It serves the postings offset table spans of a sampled
 * IndexReader after open. Until `attach` succeeds, after `close`, and whenever the file answers
 * short (truncated meanwhile) or fails, reads go to `remote`, so closing it under a late reader is
 * harmless. `close()` closes the file handle only: `remote` belongs to the caller.
 */
export class HeaderFileSource implements ByteSource {
  private fh: FileHandle | undefined;
  private dir: readonly HeaderFileRange[] = [];
  /** Reads answered by the local file / by the remote (for tests). */
  localReads = 0;
  remoteReads = 0;

  constructor(private readonly remote: ByteSource) {}

  get name(): string { return this.remote.name; }
  get size(): number { return this.remote.size; }

  /**
   * Serves reads from the index-header file at `path` laid out as `layout`; false (and remote-only)
   * when the file cannot be opened or has another size than the layout says.
   */
  async attach(path: string, layout: { ranges: readonly HeaderFileRange[]; size: number }): Promise<boolean> {
    await this.close();
    let fh: FileHandle;
    try { fh = await open(path, 'r'); } catch { return false; }
    try {
      if ((await fh.stat()).size !== layout.size) { await fh.close(); return false; }
    } catch { await fh.close().catch(() => undefined); return false; }
    this.fh = fh;
    this.dir = layout.ranges;
    return true;
  }

  /** Whether a local file is attached. */
  get attached(): boolean { return this.fh !== undefined; }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const fh = this.fh;
    const r = fh === undefined ? undefined : this.rangeHolding(offset, length);
    if (fh !== undefined && r !== undefined) {
      const out = Buffer.allocUnsafe(length);
      try {
        let done = 0;
        while (done < length) {
          const { bytesRead } = await fh.read(out, done, length - done, r.filePos + offset - r.offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        if (done === length) { this.localReads++; return out; }
      } catch { /* closed or failing file: the remote answers */ }
    }
    this.remoteReads++;
    return this.remote.read(offset, length);
  }

  /** The directory range containing `[offset, offset+length)`, if any (a handful of ranges: a scan). */
  private rangeHolding(offset: number, length: number): HeaderFileRange | undefined {
    for (const r of this.dir) if (offset >= r.offset && offset + length <= r.offset + r.length) return r;
    return undefined;
  }

  /** Closes the file handle (idempotent); later reads go to the remote. */
  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    this.dir = [];
    if (fh !== undefined) await fh.close().catch(() => undefined);
  }
}
