import type { BucketReader, IterOptions, OpOptions } from '../../objstore/bucket.js';
import { isBlockId } from '../ulid.js';

/**
 * A one-line progress bar for long bucket operations, drawn on a terminal only: when the stream is
 * not a TTY every call is a no-op, so pipes and logs never see it. The line is erased by `done()`.
 */
export class ProgressBar {
  readonly #out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly #label: string;
  readonly #enabled: boolean;
  #drawn = false;

  constructor(out: NodeJS.WritableStream, label: string) {
    this.#out = out as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
    this.#label = label;
    this.#enabled = this.#out.isTTY === true;
  }

  get enabled(): boolean { return this.#enabled; }

  update(done: number, total: number): void {
    if (!this.#enabled) return;
    const width = 30;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const fill = Math.round(frac * width);
    this.#out.write(`\r${this.#label} [${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${done}/${total}`);
    this.#drawn = true;
  }

  done(): void {
    if (this.#enabled && this.#drawn) this.#out.write('\r\x1b[2K');
    this.#drawn = false;
  }
}

/**
 * Wraps a bucket reader so a progress bar follows a meta fetch: the root listing counts the block
 * directories (the total), each finished `<id>/meta.json` read (or existence check of a partial
 * block) advances it. Reads pass through unchanged.
 */
export function metaProgressReader(bkt: BucketReader, bar: ProgressBar): BucketReader {
  if (!bar.enabled) return bkt;
  let total = 0, done = 0;
  const seen = new Set<string>();
  const tick = (name: string) => {
    const id = name.slice(0, name.indexOf('/'));
    if (name === `${id}/meta.json` && !seen.has(id)) { seen.add(id); bar.update(++done, Math.max(total, done)); }
  };
  return {
    async *iter(dir: string, o?: IterOptions) {
      for await (const e of bkt.iter(dir, o)) {
        if (dir === '' && isBlockId(e.replace(/\/$/, ''))) total++;
        yield e;
      }
    },
    get: async (name: string, o?: OpOptions) => { try { return await bkt.get(name, o); } finally { tick(name); } },
    getRange: (name: string, offset: number, length: number, o?: OpOptions) => bkt.getRange(name, offset, length, o),
    exists: async (name: string, o?: OpOptions) => { try { return await bkt.exists(name, o); } finally { tick(name); } },
    attributes: (name: string, o?: OpOptions) => bkt.attributes(name, o),
  };
}
