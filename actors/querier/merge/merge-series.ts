import { CancelledError } from '../../../runtime/errors/runtime-errors.js';
import { compareLabels, labelsEqual, type Labels } from '../../shared/labels/labels.js';
import { StoreApiAbortedError } from '../../shared/storeapi/errors.js';
import type { SeriesFrame } from '../../shared/storeapi/protocol.js';
import type { AggrChunk, PartialResponseStrategy, ResponseHints } from '../../shared/storeapi/types.js';
import { combineChunks } from './combine-chunks.js';
import { IdHeap } from './heap.js';
import { InputCursor, type SideEvent } from './input-cursor.js';

/** One store's Series stream, named for warnings and errors. */
export interface MergeInput {
  readonly name: string;
  readonly frames: AsyncIterable<SeriesFrame>;
}

export interface MergeOptions {
  readonly partialResponseStrategy: PartialResponseStrategy;
  /** Stops the merge (rejects with CancelledError) and closes every input. */
  readonly signal?: AbortSignal;
  /** Stop after this many merged series (0 or absent = all); inputs are closed. */
  readonly limit?: number;
}

/**
 * One merged series: every copy of a label set across all inputs (and consecutive equal frames of
 * one input) combined. `chunks` are sorted by (minTime, maxTime) with exact duplicates dropped;
 * `origin[i]` indexes `parts`, the copy chunk i came from; `replica[i]` is the replica group of
 * chunk i (copies proven to be the same replica by a shared identical chunk form one group — see
 * combineChunks), so deduplication never splices two different replicas into one pseudo-replica.
 */
export interface MergedSeries {
  readonly labels: Labels;
  readonly chunks: readonly AggrChunk[];
  readonly origin: Int32Array;
  readonly replica: Int32Array;
  /** For each part, the input index it came from. */
  readonly parts: readonly number[];
}

export type MergedFrame =
  | { readonly kind: 'series'; readonly series: MergedSeries }
  | { readonly kind: 'warning'; readonly message: string }
  | { readonly kind: 'hints'; readonly input: number; readonly hints: ResponseHints };

/**
 * K-way merge of N label-sorted Series streams into one label-sorted stream of MergedSeries
 * (binary heap over the inputs' current series; ties by input index so output is deterministic).
 *
 * Buffering: per input, at most one frame (a series, or one batch) beyond the transport's window,
 * plus the copies of the series being combined. Inputs are pulled concurrently while a label set
 * is being gathered.
 * Warnings and hints are passed through as they arrive (`warning` messages from a store are
 * prefixed with its name). A store error (or a store breaking its ordering promise) ends that
 * input: under WARN it becomes a warning and the merge goes on; under ABORT the merge rejects with
 * StoreApiAbortedError — and so does any warning, as Thanos's proxy does.
 * Cancellation: when `signal` fires the merge rejects with CancelledError; when the consumer stops
 * early (break / return), or on any rejection, every input's iterator is closed.
 */
export async function* mergeSeries(inputs: readonly MergeInput[], opts: MergeOptions): AsyncGenerator<MergedFrame, void, undefined> {
  const cursors = inputs.map((inp, i) => new InputCursor(i, inp.name, inp.frames));
  const heap = new IdHeap(cursors.length, (x, y) => {
    const c = compareLabels(cursors[x]!.head!.labels, cursors[y]!.head!.labels);
    return c < 0 || (c === 0 && x < y);
  });
  const side: SideEvent[] = [];
  const abort = abortPromise(opts.signal);
  const limit = opts.limit ?? 0;
  let emitted = 0;
  try {
    await pull(cursors, cursors.map((c) => c.index), side, abort.promise);
    for (const c of cursors) if (c.head !== undefined) heap.push(c.index);
    for (;;) {
      yield* flushSide(side, inputs, opts.partialResponseStrategy);
      const first = heap.peek();
      if (first === undefined) return;
      const labels = cursors[first]!.head!.labels;
      const copies: (readonly AggrChunk[])[] = [];
      const parts: number[] = [];
      // Gather every copy of `labels`: pop all equal heads, advance those inputs together, repeat
      // (an input may send several consecutive frames with the same labels).
      for (;;) {
        const taken: number[] = [];
        while (heap.size > 0 && labelsEqual(cursors[heap.peek()!]!.head!.labels, labels)) {
          const i = heap.pop()!;
          copies.push(cursors[i]!.head!.chunks);
          parts.push(i);
          taken.push(i);
        }
        if (taken.length === 0) break;
        await pull(cursors, taken, side, abort.promise);
        for (const i of taken) if (cursors[i]!.head !== undefined) heap.push(i);
      }
      const { chunks, origin, replica } = combineChunks(copies);
      yield* flushSide(side, inputs, opts.partialResponseStrategy);
      yield { kind: 'series', series: { labels, chunks, origin, replica, parts } };
      if (limit > 0 && ++emitted >= limit) return;
    }
  } finally {
    abort.dispose();
    for (const c of cursors) if (!c.done) c.close();
  }
}

async function pull(cursors: readonly InputCursor[], which: readonly number[], side: SideEvent[], aborted: Promise<never>): Promise<void> {
  // Inputs with series left in their current frame move on synchronously; only the others wait.
  const rest = which.filter((i) => !cursors[i]!.advanceInBatch(side));
  if (rest.length === 0) return;
  const work = rest.length === 1 ? cursors[rest[0]!]!.advance(side) : Promise.all(rest.map((i) => cursors[i]!.advance(side)));
  await Promise.race([work, aborted]);
}

function* flushSide(side: SideEvent[], inputs: readonly MergeInput[], strategy: PartialResponseStrategy): Generator<MergedFrame> {
  while (side.length > 0) {
    const e = side.shift()!;
    if (e.kind === 'hints') { yield { kind: 'hints', input: e.input, hints: e.hints }; continue; }
    const store = inputs[e.input]!.name;
    const message = e.kind === 'warning'
      ? `${store}: ${e.message}`
      : `receiving series from ${store}: ${e.error instanceof Error ? e.error.message : String(e.error)}`;
    if (strategy === 'ABORT') {
      throw new StoreApiAbortedError(`partial response aborted: ${message}`, { cause: e.kind === 'error' ? e.error : undefined, data: { store } });
    }
    yield { kind: 'warning', message };
  }
}

function abortPromise(signal: AbortSignal | undefined): { promise: Promise<never>; dispose(): void } {
  if (signal === undefined) return { promise: new Promise<never>(() => undefined), dispose: () => undefined };
  let onAbort: () => void = () => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CancelledError('merging series: cancelled', { cause: signal.reason }));
    if (signal.aborted) onAbort(); else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
