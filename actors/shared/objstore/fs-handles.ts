import { type FileHandle, open } from 'node:fs/promises';

/** Object names that never change once written: a block's index and chunk segments (Thanos layout, under any bucket prefix). */
const IMMUTABLE = /(?:^|\/)[0-9A-HJKMNP-TV-Z]{26}\/(?:index|chunks\/\d{6})$/;

/** Whether reads of `name` may go through a kept-open handle (the object is immutable by layout). */
export function keepsHandle(name: string): boolean { return IMMUTABLE.test(name); }

interface Entry {
  readonly fh: Promise<FileHandle>;
  users: number;
  lastUsed: number;
}

/**
 * Open read handles of immutable block files, so a ranged read is one `read` instead of
 * open + read + close (three thread-pool round trips). At most `max` handles are kept (least
 * recently used closed first, never one in use); a handle unused for `idleMs` is closed by a sweep
 * (unref'd timer). `forget(path)` closes a path's handle (called when this bucket deletes or
 * replaces the object). A handle sees the file it opened: an object replaced by another process is
 * seen when its handle is next reopened — acceptable only because block files are immutable.
 */
export class HandleCache {
  readonly #entries = new Map<string, Entry>();
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly max = 256, private readonly idleMs = 30_000) {
    this.#timer = setInterval(() => this.#sweep(), Math.max(1000, Math.floor(idleMs / 3)));
    this.#timer.unref();
  }

  /** Handles currently held (open or opening). */
  get size(): number { return this.#entries.size; }

  /** Runs `fn` with an open handle of `path` (opened on first use; an open failure is not cached). */
  async use<T>(path: string, fn: (fh: FileHandle) => Promise<T>): Promise<T> {
    let e = this.#entries.get(path);
    if (e === undefined) {
      e = { fh: open(path, 'r'), users: 0, lastUsed: Date.now() };
      this.#entries.set(path, e);
      e.fh.catch(() => { if (this.#entries.get(path) === e) this.#entries.delete(path); });
      this.#evict();
    } else {
      // Re-insert: Map order is the LRU order.
      this.#entries.delete(path);
      this.#entries.set(path, e);
    }
    e.users++;
    try {
      return await fn(await e.fh);
    } finally {
      e.users--;
      e.lastUsed = Date.now();
    }
  }

  /** Closes and drops the handle of `path`, if any (after the read in flight, if one is). */
  forget(path: string): void {
    const e = this.#entries.get(path);
    if (e === undefined) return;
    this.#entries.delete(path);
    void this.#closeWhenIdle(e);
  }

  /** Closes every handle. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    const all = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(all.map((e) => this.#closeWhenIdle(e)));
  }

  #evict(): void {
    for (const [path, e] of this.#entries) {
      if (this.#entries.size <= this.max) return;
      if (e.users > 0) continue;
      this.#entries.delete(path);
      void this.#closeWhenIdle(e);
    }
  }

  #sweep(): void {
    const now = Date.now();
    for (const [path, e] of this.#entries) {
      if (e.users === 0 && now - e.lastUsed >= this.idleMs) {
        this.#entries.delete(path);
        void this.#closeWhenIdle(e);
      }
    }
  }

  async #closeWhenIdle(e: Entry): Promise<void> {
    while (e.users > 0) await new Promise((r) => setTimeout(r, 10));
    try { await (await e.fh).close(); } catch { /* failed open or already closed */ }
  }
}
