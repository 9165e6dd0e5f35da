import type { Peer, Registry, RegistryEvent } from '../../../../runtime/discovery/registry.js';
import { isRetryable } from '../../../../runtime/errors/coded-error.js';
import type { Subjects } from '../../../../runtime/transport/subject.js';
import type { Transport } from '../../../../runtime/transport/transport.js';
import type { InfoResponse, SeriesFrame } from '../protocol.js';
import { parseAnnouncedSubjects } from '../server/wire.js';
import type { StoreAPI } from '../storeapi.js';
import { parseInfoResponse } from '../validate-response.js';
import { StoreClient, type StoreClientOptions } from './store-client.js';

/** Health of one store as seen by this process's calls. */
export interface StoreHealth {
  /** False after a call failed with a retryable (transport/availability) error, until a call succeeds. */
  readonly healthy: boolean;
  readonly consecutiveFailures: number;
  readonly lastError?: unknown;
  readonly lastErrorMs?: number;
  readonly lastSuccessMs?: number;
}

/** One store in the set. */
export interface StoreRef {
  /** Registry key `<component>/<id>`. */
  readonly key: string;
  readonly component: string;
  readonly id: string;
  readonly node: string;
  /** The InfoResponse from its latest announcement (external label sets, time range, capabilities). */
  readonly info: InfoResponse;
  /** Calls go to the peer and update `health`. */
  readonly client: StoreAPI;
  readonly health: StoreHealth;
  /** When the registry last heard from it. */
  readonly lastSeenMs: number;
}

export type StoreSetEvent =
  | { readonly type: 'add'; readonly store: StoreRef }
  | { readonly type: 'update'; readonly store: StoreRef }
  | { readonly type: 'remove'; readonly store: StoreRef; readonly reason: 'goodbye' | 'expired' | 'not-a-store' };

export interface StoreSetOptions {
  /** The discovery registry to watch (started by its owner). */
  readonly registry: Registry;
  readonly transport: Transport;
  readonly subjects: Subjects;
  /** Components to consider (default: every peer that announces the StoreAPI subjects and a store Info). */
  readonly components?: readonly string[];
  /** Peers to leave out (e.g. this querier itself, to avoid loops). */
  readonly exclude?: (peer: Peer) => boolean;
  /** Client settings for every store (response timeout, deadline, window). */
  readonly client?: Omit<StoreClientOptions, 'transport' | 'subjects'>;
}

interface Entry {
  ref: StoreRef;
  health: { -readonly [K in keyof StoreHealth]: StoreHealth[K] };
  /** The peer's subjects, serialised: a new client is made only when they change. */
  subjectsKey: string;
}

/**
 * The live set of StoreAPI peers, kept from discovery: a peer joins when it announces the four
 * StoreAPI subjects and an `info` that is a valid InfoResponse with `store` set; its Info follows
 * its announcements; it leaves on goodbye or expiry, or when it stops announcing a store. One
 * client per peer. The querier prunes (time range, label sets) and fans out over `list()`.
 */
export class StoreSet {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(e: StoreSetEvent) => void>();
  private off: (() => void) | undefined;

  constructor(private readonly o: StoreSetOptions) {}

  /** Starts watching the registry (peers already known are added at once). */
  start(): void {
    this.off = this.o.registry.on((e) => this.apply(e));
    for (const p of this.o.registry.list()) this.upsert(p);
  }

  stop(): void {
    this.off?.();
    this.off = undefined;
    this.entries.clear();
    this.listeners.clear();
  }

  /** Current stores in key order. */
  list(): StoreRef[] {
    return [...this.entries.values()].map((e) => e.ref).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  get(key: string): StoreRef | undefined { return this.entries.get(key)?.ref; }

  /** Subscribes to add/update/remove; returns the unsubscribe function. */
  on(listener: (e: StoreSetEvent) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Resolves once `predicate(list())` holds; rejects with the signal's reason on abort. */
  waitUntil(predicate: (stores: StoreRef[]) => boolean, signal?: AbortSignal): Promise<void> {
    if (predicate(this.list())) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.on(() => { if (predicate(this.list())) { cleanup(); resolve(); } });
      const onAbort = () => { cleanup(); reject(signal!.reason); };
      const cleanup = () => { off(); signal?.removeEventListener('abort', onAbort); };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private apply(e: RegistryEvent): void {
    if (e.type === 'leave') this.remove(e.peer.key, e.reason);
    else this.upsert(e.peer);
  }

  private upsert(peer: Peer): void {
    const a = peer.announcement;
    const wanted = (this.o.components === undefined || this.o.components.includes(a.component)) && this.o.exclude?.(peer) !== true;
    const subjects = wanted ? parseAnnouncedSubjects(this.o.subjects, a.subjects) : undefined;
    let info: InfoResponse | undefined;
    try { info = subjects ? parseInfoResponse(a.info) : undefined; } catch { info = undefined; }
    if (subjects === undefined || info?.store === undefined) { this.remove(peer.key, 'not-a-store'); return; }
    const prev = this.entries.get(peer.key);
    const health = prev?.health ?? { healthy: true, consecutiveFailures: 0 };
    const subjectsKey = JSON.stringify(subjects);
    const client = prev !== undefined && prev.subjectsKey === subjectsKey
      ? prev.ref.client
      : tracked(new StoreClient({ ...this.o.client, transport: this.o.transport, subjects }), health);
    const ref: StoreRef = {
      key: peer.key, component: a.component, id: a.id, node: a.node, info, client, health, lastSeenMs: peer.lastSeenMs,
    };
    this.entries.set(peer.key, { ref, health, subjectsKey });
    this.emit(prev === undefined ? { type: 'add', store: ref } : { type: 'update', store: ref });
  }

  private remove(key: string, reason: 'goodbye' | 'expired' | 'not-a-store'): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    this.entries.delete(key);
    this.emit({ type: 'remove', store: e.ref, reason });
  }

  private emit(e: StoreSetEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
}

/** Wraps a client so every call's outcome updates `health` (caller cancellations and bad requests don't count). */
function tracked(c: StoreAPI, h: Entry['health']): StoreAPI {
  const ok = () => { h.healthy = true; h.consecutiveFailures = 0; h.lastSuccessMs = Date.now(); };
  const fail = (err: unknown, signal?: AbortSignal) => {
    if (signal?.aborted === true || !isRetryable(err)) return;
    h.healthy = false; h.consecutiveFailures++; h.lastError = err; h.lastErrorMs = Date.now();
  };
  const call = async <T>(p: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    try { const r = await p(); ok(); return r; } catch (err) { fail(err, signal); throw err; }
  };
  return {
    info: (signal) => call(() => c.info(signal), signal),
    labelNames: (req, signal) => call(() => c.labelNames(req, signal), signal),
    labelValues: (req, signal) => call(() => c.labelValues(req, signal), signal),
    series: (req, signal) => (async function* (): AsyncGenerator<SeriesFrame> {
      try {
        yield* c.series(req, signal);
        ok();
      } catch (err) { fail(err, signal); throw err; }
    })(),
  };
}
