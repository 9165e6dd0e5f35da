import type { Transport } from '../transport/transport.js';
import type { Subjects } from '../transport/subject.js';
import { parseDiscoveryMessage, type Announcement } from './protocol.js';
import { jittered, realTimers, type Timers } from './timers.js';

export interface AnnouncerOptions {
  readonly transport: Transport;
  readonly subjects: Subjects;
  readonly component: string;
  readonly id: string;
  readonly node: string;
  readonly serves: Readonly<Record<string, string>>;
  /** Initial domain payload; replace with `update()`. */
  readonly info: unknown;
  /** Base announce period (default 5000 ms); each wait is jittered ±20 %. */
  readonly intervalMs?: number;
  /** Silence after which registries drop us (default 3 × interval). */
  readonly ttlMs?: number;
  /** Answers to a probe are delayed by a random 0…probeJitterMs (default 250) to spread the burst. */
  readonly probeJitterMs?: number;
  readonly timers?: Timers;
  /** Called when a publish fails (transport down); announcing continues at the next tick. */
  readonly onError?: (err: unknown) => void;
}

/**
 * Announces one actor instance: immediately on start, then every interval with jitter, again
 * (jittered) whenever someone probes, and at once on `update()`. `stop()` says goodbye.
 * Publishing is fire-and-forget; a lost announcement is repaired by the next one.
 */
export class Announcer {
  private readonly o: AnnouncerOptions;
  private readonly timers: Timers;
  private readonly intervalMs: number;
  private readonly ttlMs: number;
  private info: unknown;
  private seq = 0;
  private readonly startedAtMs: number;
  private tick: unknown;
  private probeReply: unknown;
  private probeSub: { unsubscribe(): Promise<void> } | undefined;
  private stopped = false;

  constructor(o: AnnouncerOptions) {
    this.o = o;
    this.timers = o.timers ?? realTimers;
    this.intervalMs = o.intervalMs ?? 5000;
    this.ttlMs = o.ttlMs ?? 3 * this.intervalMs;
    this.info = o.info;
    this.startedAtMs = this.timers.now();
  }

  /** Subscribes to probes (flushed to the server), then announces and starts the interval. */
  async start(): Promise<void> {
    this.probeSub = this.o.transport.subscribe(this.o.subjects.discoveryProbe(), (m) => {
      try { parseDiscoveryMessage(m.data); } catch { return; }
      if (this.stopped || this.probeReply !== undefined) return;
      const delay = Math.floor(this.timers.random() * (this.o.probeJitterMs ?? 250));
      this.probeReply = this.timers.setTimeout(() => { this.probeReply = undefined; this.announce(); }, delay);
    });
    await this.o.transport.flush();
    this.announce();
    this.schedule();
  }

  /** Replaces the domain payload and announces it now. */
  update(info: unknown): void {
    this.info = info;
    if (!this.stopped) this.announce();
  }

  /** Announcements sent so far. */
  get sent(): number { return this.seq; }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timers.clearTimeout(this.tick);
    if (this.probeReply !== undefined) this.timers.clearTimeout(this.probeReply);
    await this.probeSub?.unsubscribe();
    this.publish({ kind: 'goodbye', component: this.o.component, id: this.o.id });
  }

  private schedule(): void {
    this.tick = this.timers.setTimeout(() => {
      if (this.stopped) return;
      this.announce();
      this.schedule();
    }, jittered(this.timers, this.intervalMs, 0.2));
  }

  private announce(): void {
    const a: Announcement = {
      kind: 'announce', component: this.o.component, id: this.o.id, node: this.o.node, subjects: this.o.serves,
      info: this.info, intervalMs: this.intervalMs, ttlMs: this.ttlMs, seq: this.seq++, startedAtMs: this.startedAtMs,
    };
    this.publish(a);
  }

  private publish(msg: unknown): void {
    try { this.o.transport.publish(this.o.subjects.discoveryAnnounce(), msg); } catch (err) { this.o.onError?.(err); }
  }
}
