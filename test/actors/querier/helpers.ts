// Shared fixtures of the querier tests: MemoryStore endpoints and hand-made misbehaving stores.
import { labelsFromObject } from '../../../actors/shared/labels/labels.js';
import type { StoreEndpoint } from '../../../actors/querier/store-queryable.js';
import { MemoryStore } from '../../../actors/shared/storeapi/memory-store.js';
import type { InfoResponse, SeriesFrame, SeriesRequest } from '../../../actors/shared/storeapi/protocol.js';
import type { StoreAPI } from '../../../actors/shared/storeapi/storeapi.js';
import { MAX_TIME, MIN_TIME } from '../../../actors/shared/storeapi/types.js';

/** Samples `[t, f(t)]` every `stepMs` in [fromMs, toMs], minus those inside any `gaps` [a, b]. */
export function samples(fromMs: number, toMs: number, stepMs: number, f: (t: number) => number, gaps: [number, number][] = []): [number, number][] {
  const out: [number, number][] = [];
  for (let t = fromMs; t <= toMs; t += stepMs) if (!gaps.some(([a, b]) => t >= a && t <= b)) out.push([t, f(t)]);
  return out;
}

/** A MemoryStore endpoint named `name` with `ext` external labels. */
export async function memEndpoint(name: string, ext: Record<string, string>, series: { labels: Record<string, string>; samples: [number, number][] }[]): Promise<StoreEndpoint> {
  const client = new MemoryStore({ series: series.map((s) => ({ labels: labelsFromObject(s.labels), samples: s.samples })), externalLabels: labelsFromObject(ext) });
  return { name, client, info: await client.info() };
}

export function anyInfo(): InfoResponse {
  return { kind: 'storeapi.info', labelSets: [], componentType: 'store', store: { minTime: MIN_TIME, maxTime: MAX_TIME, supportsSharding: false, supportsWithoutReplicaLabels: true, tsdbInfos: [] } };
}

/** A store whose Series never sends anything (until its signal fires). Counts calls and cancellations. */
export function silentStore(): StoreAPI & { calls: number; cancelled: number; called: Promise<void> } {
  let onCall!: () => void;
  const s = {
    calls: 0, cancelled: 0, called: new Promise<void>((r) => { onCall = r; }),
    info: async () => anyInfo(),
    series(_req: SeriesRequest, signal: AbortSignal): AsyncIterable<SeriesFrame> {
      s.calls++;
      onCall();
      return (async function* () {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => { s.cancelled++; resolve(); }, { once: true }));
        throw new Error('cancelled');
      })();
    },
    labelNames: async () => new Promise<never>(() => undefined),
    labelValues: async () => new Promise<never>(() => undefined),
  };
  return s;
}

/** Wraps a store: its Series stream sends the first `frames` frames, then fails ("connection reset"). */
export function dyingStore(inner: StoreAPI, frames: number): StoreAPI {
  return {
    info: (sig) => inner.info(sig),
    labelNames: (r, sig) => inner.labelNames(r, sig),
    labelValues: (r, sig) => inner.labelValues(r, sig),
    series(req, signal) {
      return (async function* () {
        let n = 0;
        for await (const f of inner.series({ ...req, responseBatchSize: 1 }, signal)) {
          if (n++ >= frames) throw new Error('connection reset by peer mid-stream');
          yield f;
        }
      })();
    },
  };
}
