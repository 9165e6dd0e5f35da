import { labelsFromObject } from '../../../../../actors/shared/labels/labels.js';
import type { SeriesFrame } from '../../../../../actors/shared/storeapi/protocol.js';
import type { StoreAPI } from '../../../../../actors/shared/storeapi/storeapi.js';
import type { Series } from '../../../../../actors/shared/storeapi/types.js';

/** A series `{__name__="s", i="<zero-padded i>"}` with one raw chunk of `bytes` bytes (sorted by i). */
export function bigSeries(i: number, bytes: number): Series {
  const data = new Uint8Array(bytes).fill(i & 0xff);
  return { labels: labelsFromObject({ __name__: 's', i: String(i).padStart(8, '0') }), chunks: [{ minTime: 0, maxTime: 1000, raw: { type: 'XOR', data } }] };
}

/** What a SpyStore saw of its last Series call. */
export interface SpyCall {
  produced: number;
  signal: AbortSignal | undefined;
  /** Resolves when the implementation's iteration ended (normally, by error or by return()). */
  readonly ended: Promise<{ aborted: boolean; reason: unknown }>;
  /** Resolves once the call started. */
  readonly started: Promise<void>;
}

/**
 * A StoreAPI whose Series stream is produced by `gen` and observed: how many frames it produced,
 * whether its signal was aborted when its iteration ended. Label calls answer empty (or hang when
 * `hangLabels`).
 */
export class SpyStore implements StoreAPI {
  last: SpyCall | undefined;

  constructor(
    private readonly gen: (signal: AbortSignal) => AsyncGenerator<SeriesFrame>,
    private readonly o: { hangLabels?: boolean } = {},
  ) {}

  async info() {
    return {
      kind: 'storeapi.info' as const, labelSets: [], componentType: 'store' as const,
      store: { minTime: 0, maxTime: 1000, supportsSharding: false, supportsWithoutReplicaLabels: true, tsdbInfos: [] },
    };
  }

  series(_req: unknown, signal: AbortSignal): AsyncIterable<SeriesFrame> {
    let end!: (v: { aborted: boolean; reason: unknown }) => void;
    let start!: () => void;
    const call: SpyCall = {
      produced: 0, signal,
      ended: new Promise((r) => { end = r; }),
      started: new Promise((r) => { start = r; }),
    };
    this.last = call;
    const gen = this.gen;
    return (async function* () {
      start();
      try {
        for await (const f of gen(signal)) { call.produced++; yield f; }
      } finally {
        end({ aborted: signal.aborted, reason: signal.reason });
      }
    })();
  }

  async labelNames(_req: unknown, signal: AbortSignal) {
    if (this.o.hangLabels === true) await untilAborted(signal);
    return { kind: 'storeapi.labelNames.result' as const, names: [], warnings: [] };
  }

  async labelValues(_req: unknown, signal: AbortSignal) {
    if (this.o.hangLabels === true) await untilAborted(signal);
    return { kind: 'storeapi.labelValues.result' as const, values: [], warnings: [] };
  }
}

/** Resolves when `signal` aborts (never otherwise). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(); else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
