import { compareLabels, labelsToString, type Labels } from '../../shared/labels/labels.js';
import { StoreApiBadResponseError } from '../../shared/storeapi/errors.js';
import type { SeriesFrame } from '../../shared/storeapi/protocol.js';
import type { ResponseHints, Series } from '../../shared/storeapi/types.js';

/** A side event seen while advancing an input: passed through by the merge in arrival order. */
export type SideEvent =
  | { readonly kind: 'warning'; readonly input: number; readonly message: string }
  | { readonly kind: 'hints'; readonly input: number; readonly hints: ResponseHints }
  | { readonly kind: 'error'; readonly input: number; readonly error: unknown };

/**
 * Reads one store's Series stream one series at a time, flattening `batch` frames. Holds at most
 * one frame (a series, or a batch of ≤ LIMITS.maxFrameSeries series) beyond the transport's own
 * window. Checks the store's ordering promise (labels never decrease); a violation, like any error
 * from the stream, ends this input and is reported as an `error` side event (never thrown).
 */
export class InputCursor {
  head: Series | undefined;
  done = false;
  private readonly it: AsyncIterator<SeriesFrame>;
  private batch: readonly Series[] | undefined;
  private pos = 0;
  private prev: Labels | undefined;

  constructor(readonly index: number, readonly name: string, frames: AsyncIterable<SeriesFrame>) {
    this.it = frames[Symbol.asyncIterator]();
  }

  /**
   * Moves `head` to the next series of the batch in hand, synchronously; false (nothing changed)
   * when the batch is used up and `advance` must read the next frame.
   */
  advanceInBatch(side: SideEvent[]): boolean {
    if (this.batch === undefined || this.pos >= this.batch.length) return false;
    try {
      this.setHead(this.batch[this.pos++]!);
    } catch (error) {
      this.fail(side, error);
    }
    return true;
  }

  /** Moves `head` to the next series (or sets `done`); side events are appended to `side`. */
  async advance(side: SideEvent[]): Promise<void> {
    this.head = undefined;
    try {
      for (;;) {
        if (this.batch !== undefined) {
          if (this.pos < this.batch.length) { this.setHead(this.batch[this.pos++]!); return; }
          this.batch = undefined;
        }
        const r = await this.it.next();
        if (r.done === true) { this.done = true; return; }
        const f = r.value;
        switch (f.kind) {
          case 'series': this.setHead(f.series); return;
          case 'batch': this.batch = f.series; this.pos = 0; break;
          case 'warning': side.push({ kind: 'warning', input: this.index, message: f.message }); break;
          case 'hints': side.push({ kind: 'hints', input: this.index, hints: f.hints }); break;
        }
      }
    } catch (error) {
      this.fail(side, error);
    }
  }

  private fail(side: SideEvent[], error: unknown): void {
    this.head = undefined;
    this.done = true;
    this.batch = undefined;
    side.push({ kind: 'error', input: this.index, error });
    this.close();
  }

  private setHead(s: Series): void {
    if (this.prev !== undefined && compareLabels(this.prev, s.labels) > 0) {
      throw new StoreApiBadResponseError(
        `merging series from ${this.name}: series ${labelsToString(s.labels)} arrived after ${labelsToString(this.prev)} (stream not sorted)`,
        { data: { store: this.name } });
    }
    this.prev = s.labels;
    this.head = s;
  }

  /** Ends the underlying stream (fire and forget: a producer stuck in a pull must not block us). */
  close(): void {
    this.done = true;
    this.head = undefined;
    this.batch = undefined;
    const ret = this.it.return?.bind(this.it);
    if (ret !== undefined) void Promise.resolve().then(() => ret()).catch(() => undefined);
  }
}
