import type { Subject, Subjects } from '../../../../runtime/transport/subject.js';
import { StoreApiBadRequestError } from '../errors.js';
import type { SeriesRequest } from '../protocol.js';

/**
 * What travels between `serveStoreAPI` and `StoreClient` besides the StoreAPI messages themselves:
 * the rpc method names (subjects are built only by `Subjects`), the keys under which a peer's
 * announcement lists them, and the envelope that opens a Series stream.
 */

/** Rpc method tokens of the StoreAPI (`<prefix>.rpc.<component>.<method>.<id>`). */
export const STOREAPI_METHODS = {
  series: 'storeapi-series',
  labelNames: 'storeapi-label-names',
  labelValues: 'storeapi-label-values',
  info: 'storeapi-info',
} as const;

export type StoreApiMethod = keyof typeof STOREAPI_METHODS;

/** The subjects one StoreAPI instance serves, keyed as in its announcement's `subjects`. */
export type StoreSubjects = Readonly<Record<StoreApiMethod, Subject>>;

/** Announcement `subjects` keys for the StoreAPI methods. */
export const ANNOUNCE_KEYS: Readonly<Record<StoreApiMethod, string>> = {
  series: 'storeapi.series', labelNames: 'storeapi.labelNames', labelValues: 'storeapi.labelValues', info: 'storeapi.info',
};

/** The instance subjects of `component`/`id`. */
export function storeSubjects(subjects: Subjects, component: string, id: string): StoreSubjects {
  return {
    series: subjects.rpcInstance(component, STOREAPI_METHODS.series, id),
    labelNames: subjects.rpcInstance(component, STOREAPI_METHODS.labelNames, id),
    labelValues: subjects.rpcInstance(component, STOREAPI_METHODS.labelValues, id),
    info: subjects.rpcInstance(component, STOREAPI_METHODS.info, id),
  };
}

/** The announcement `serves` map for `s`. */
export function announcedSubjects(s: StoreSubjects): Record<string, string> {
  return Object.fromEntries((Object.keys(ANNOUNCE_KEYS) as StoreApiMethod[]).map((m) => [ANNOUNCE_KEYS[m], s[m]]));
}

/**
 * Reads a peer's StoreAPI subjects from its announcement; undefined when it does not serve all of
 * them, or when one is not an rpc subject of this prefix (a peer cannot point us at other subjects).
 */
export function parseAnnouncedSubjects(subjects: Subjects, announced: Readonly<Record<string, string>>): StoreSubjects | undefined {
  const out: Partial<Record<StoreApiMethod, Subject>> = {};
  for (const m of Object.keys(ANNOUNCE_KEYS) as StoreApiMethod[]) {
    const s = announced[ANNOUNCE_KEYS[m]];
    const rpc = s === undefined ? undefined : subjects.parseRpc(s);
    if (rpc === undefined || rpc.method !== STOREAPI_METHODS[m]) return undefined;
    out[m] = s as Subject;
  }
  return out as StoreSubjects;
}

/** The body of a Series stream open: the request plus the caller's absolute deadline (0 = none). */
export interface SeriesOpen {
  readonly kind: 'storeapi.series.open';
  /** Absolute deadline, ms since epoch; the server aborts the implementation then. 0 = none. */
  readonly deadlineMs: number;
  readonly request: SeriesRequest;
}

/** Splits a Series open into its deadline and the (still unvalidated) request. */
export function parseSeriesOpen(x: unknown): { deadlineMs: number; request: unknown } {
  if (typeof x !== 'object' || x === null || (x as { kind?: unknown }).kind !== 'storeapi.series.open') {
    throw new StoreApiBadRequestError('decoding series stream open: not a storeapi.series.open message', { data: { field: '$' } });
  }
  const o = x as { deadlineMs?: unknown; request?: unknown };
  const d = o.deadlineMs ?? 0;
  if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
    throw new StoreApiBadRequestError('decoding series stream open: field "deadlineMs" must be a non-negative integer', { data: { field: 'deadlineMs' } });
  }
  return { deadlineMs: d, request: o.request };
}
