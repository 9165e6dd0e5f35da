import { DecodeError } from '../errors/runtime-errors.js';

/**
 * Discovery messages, published on `Subjects.discoveryAnnounce()` / `discoveryProbe()`.
 * The runtime knows nothing about metrics: what a peer serves (label sets, time ranges,
 * capabilities) travels in `info`, opaque here and validated by the domain layer that reads it.
 */
export interface Announcement {
  readonly kind: 'announce';
  /** Component role, e.g. `store`, `query`, `sidecar`. */
  readonly component: string;
  /** Unique id of the actor instance (stable for its lifetime). */
  readonly id: string;
  /** Process (node) hosting the actor; several actors may share one. */
  readonly node: string;
  /** Named subjects the peer serves, e.g. { series: 'athanor.rpc.store.series.s1' }. */
  readonly subjects: Readonly<Record<string, string>>;
  /** Domain payload (opaque to the runtime). */
  readonly info: unknown;
  /** The peer's announce interval; registries expire it after `ttlMs` of silence. */
  readonly intervalMs: number;
  readonly ttlMs: number;
  /** Increments with every announcement of this instance; lets receivers drop reordered ones. */
  readonly seq: number;
  /** When the instance started (ms since epoch). */
  readonly startedAtMs: number;
}

export interface Goodbye {
  readonly kind: 'goodbye';
  readonly component: string;
  readonly id: string;
}

export interface Probe {
  readonly kind: 'probe';
  /** Who asks; announcers answer everyone regardless. */
  readonly from: string;
}

export type DiscoveryMessage = Announcement | Goodbye | Probe;

const MAX_TOKEN = 256;
const MAX_SUBJECTS = 64;

function str(o: Record<string, unknown>, k: string): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_TOKEN) throw new DecodeError(`decoding discovery message: field ${k} must be a non-empty string`);
  return v;
}

function num(o: Record<string, unknown>, k: string, min: number): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new DecodeError(`decoding discovery message: field ${k} must be a number ≥ ${min}`);
  return v;
}

/** Validates a decoded discovery message (decode boundary); throws DecodeError. */
export function parseDiscoveryMessage(x: unknown): DiscoveryMessage {
  if (typeof x !== 'object' || x === null) throw new DecodeError('decoding discovery message: not an object');
  const o = x as Record<string, unknown>;
  switch (o.kind) {
    case 'probe': return { kind: 'probe', from: str(o, 'from') };
    case 'goodbye': return { kind: 'goodbye', component: str(o, 'component'), id: str(o, 'id') };
    case 'announce': {
      const subjects = o.subjects;
      if (typeof subjects !== 'object' || subjects === null || Array.isArray(subjects)) {
        throw new DecodeError('decoding discovery message: field subjects must be an object');
      }
      const entries = Object.entries(subjects as Record<string, unknown>);
      if (entries.length > MAX_SUBJECTS || entries.some(([, v]) => typeof v !== 'string')) {
        throw new DecodeError('decoding discovery message: field subjects must map names to subject strings');
      }
      return {
        kind: 'announce', component: str(o, 'component'), id: str(o, 'id'), node: str(o, 'node'),
        subjects: Object.fromEntries(entries) as Record<string, string>, info: o.info,
        intervalMs: num(o, 'intervalMs', 1), ttlMs: num(o, 'ttlMs', 1), seq: num(o, 'seq', 0), startedAtMs: num(o, 'startedAtMs', 0),
      };
    }
    default: throw new DecodeError(`decoding discovery message: unknown kind ${JSON.stringify(o.kind)}`);
  }
}

/** Registry key of a peer. */
export function peerKey(component: string, id: string): string {
  return `${component}/${id}`;
}
