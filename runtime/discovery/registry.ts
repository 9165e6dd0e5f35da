import { isDeepStrictEqual } from 'node:util';
import type { Subscription, Transport } from '../transport/transport.js';
import type { Subjects } from '../transport/subject.js';
import { parseDiscoveryMessage, peerKey, type Announcement } from './protocol.js';
import { realTimers, type Timers } from './timers.js';

export interface Peer {
  readonly key: string;
  readonly announcement: Announcement;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

export type RegistryEvent =
  | { readonly type: 'join'; readonly peer: Peer }
  | { readonly type: 'update'; readonly peer: Peer; readonly previous: Peer }
  | { readonly type: 'leave'; readonly peer: Peer; readonly reason: 'goodbye' | 'expired' };

export interface RegistryOptions {
  readonly transport: Transport;
  readonly subjects: Subjects;
  /** Who we are, sent with the start-up probe. */
  readonly self: string;
  /** Only track these components (default: all). */
  readonly components?: readonly string[];
  /** Upper bound on tracked peers (default 10 000); announcements beyond it are dropped and counted. */
  readonly maxPeers?: number;
  readonly timers?: Timers;
}

export interface RegistryStats {
  announcements: number;
  invalid: number;
  dropped: number;
  expired: number;
}

/**
 * Tracks live peers from announcements. On start it probes so every announcer answers at once
 * (a newcomer sees everyone within one probe round trip, not one interval). A peer leaves on
 * goodbye or after its own `ttlMs` of silence. Listeners get join/update/leave events in the
 * order the registry applied them; `update` fires only when subjects or info changed.
 * Reordered announcements (lower seq from the same incarnation) are ignored.
 */
export class Registry {
  private readonly o: RegistryOptions;
  private readonly timers: Timers;
  private readonly peers = new Map<string, Peer & { expiresAtMs: number }>();
  private readonly listeners = new Set<(e: RegistryEvent) => void>();
  private sub: Subscription | undefined;
  private sweep: unknown;
  private sweepAtMs = Infinity;
  readonly stats: RegistryStats = { announcements: 0, invalid: 0, dropped: 0, expired: 0 };

  constructor(o: RegistryOptions) {
    this.o = o;
    this.timers = o.timers ?? realTimers;
  }

  /**
   * Subscribes, waits until the server has the subscription (so nothing announced after this
   * resolves is missed), then probes.
   */
  async start(): Promise<void> {
    this.sub = this.o.transport.subscribe(this.o.subjects.discoveryAnnounce(), (m) => this.receive(m.data));
    await this.o.transport.flush();
    this.probe();
  }

  /** Asks every announcer to announce now. */
  probe(): void {
    this.o.transport.publish(this.o.subjects.discoveryProbe(), { kind: 'probe', from: this.o.self });
  }

  /** Subscribes to events; returns the unsubscribe function. */
  on(listener: (e: RegistryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Live peers, optionally of one component, in key order. */
  list(component?: string): Peer[] {
    const out = [...this.peers.values()].filter((p) => component === undefined || p.announcement.component === component);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  get(component: string, id: string): Peer | undefined { return this.peers.get(peerKey(component, id)); }

  /** Resolves once `predicate(list())` holds; rejects with the signal's reason on abort. */
  waitUntil(predicate: (peers: Peer[]) => boolean, signal?: AbortSignal): Promise<void> {
    if (predicate(this.list())) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.on(() => { if (predicate(this.list())) { cleanup(); resolve(); } });
      const onAbort = () => { cleanup(); reject(signal!.reason); };
      const cleanup = () => { off(); signal?.removeEventListener('abort', onAbort); };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async stop(): Promise<void> {
    this.timers.clearTimeout(this.sweep);
    this.sweepAtMs = Infinity;
    await this.sub?.unsubscribe();
    this.peers.clear();
    this.listeners.clear();
  }

  private receive(data: unknown): void {
    let msg;
    try { msg = parseDiscoveryMessage(data); } catch { this.stats.invalid++; return; }
    if (msg.kind === 'probe') return;
    if (this.o.components && !this.o.components.includes(msg.component)) return;
    const key = peerKey(msg.component, msg.id);
    const prev = this.peers.get(key);
    if (msg.kind === 'goodbye') {
      if (prev) { this.peers.delete(key); this.emit({ type: 'leave', peer: prev, reason: 'goodbye' }); }
      return;
    }
    this.stats.announcements++;
    const now = this.timers.now();
    if (prev) {
      const p = prev.announcement;
      if (msg.startedAtMs < p.startedAtMs || (msg.startedAtMs === p.startedAtMs && msg.seq <= p.seq)) return;
    } else if (this.peers.size >= (this.o.maxPeers ?? 10_000)) {
      this.stats.dropped++;
      return;
    }
    const peer = { key, announcement: msg, firstSeenMs: prev?.firstSeenMs ?? now, lastSeenMs: now, expiresAtMs: now + msg.ttlMs };
    this.peers.set(key, peer);
    this.armSweep(peer.expiresAtMs);
    if (!prev) this.emit({ type: 'join', peer });
    else if (!isDeepStrictEqual(prev.announcement.subjects, msg.subjects) || !isDeepStrictEqual(prev.announcement.info, msg.info)
      || prev.announcement.node !== msg.node) this.emit({ type: 'update', peer, previous: prev });
  }

  private armSweep(atMs: number): void {
    if (atMs >= this.sweepAtMs) return;
    this.timers.clearTimeout(this.sweep);
    this.sweepAtMs = atMs;
    this.sweep = this.timers.setTimeout(() => this.expire(), Math.max(0, atMs - this.timers.now()));
  }

  private expire(): void {
    this.sweepAtMs = Infinity;
    const now = this.timers.now();
    let next = Infinity;
    for (const [key, p] of this.peers) {
      if (p.expiresAtMs <= now) {
        this.peers.delete(key);
        this.stats.expired++;
        this.emit({ type: 'leave', peer: p, reason: 'expired' });
      } else next = Math.min(next, p.expiresAtMs);
    }
    if (next < Infinity) this.armSweep(next);
  }

  private emit(e: RegistryEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
}
