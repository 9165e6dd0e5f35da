import type { Registry as MetricsRegistry } from 'prom-client';
import type { Service } from 'nats';
import type { Logger } from '../log/logger.js';
import { metricsFor } from '../metrics/registry.js';
import type { RunMember } from '../lifecycle/run-group.js';
import type { Transport } from '../transport/transport.js';
import type { Subjects } from '../transport/subject.js';
import { NatsTransport } from '../transport/nats-transport.js';
import type { TransportStats } from '../transport/stats.js';
import { Announcer } from '../discovery/announcer.js';
import { Registry } from '../discovery/registry.js';
import { registerMicroService } from '../discovery/micro-service.js';
import { registerTransportMetrics } from './transport-metrics.js';

export interface NodeHostOptions {
  readonly transport: Transport & { readonly stats: TransportStats };
  readonly subjects: Subjects;
  readonly metrics: MetricsRegistry;
  readonly log: Logger;
  /** This process's id in announcements. */
  readonly node: string;
  readonly version: string;
  /** Announce period of actors hosted here (default 5000 ms). */
  readonly announceIntervalMs?: number;
}

export interface AnnounceOptions {
  readonly component: string;
  readonly id: string;
  readonly serves: Readonly<Record<string, string>>;
  readonly info: unknown;
}

/** An actor's presence on the network; `update` re-announces, `withdraw` says goodbye. */
export interface Presence {
  update(info: unknown): void;
  withdraw(): Promise<void>;
}

/**
 * The domain-free part of a process: one transport, the discovery registry, and the presence of
 * every actor hosted here (announcer + NATS micro-service when the transport is NATS).
 * `members()` gives the run-group members in start order; on interrupt, every actor says
 * goodbye, the registry stops, and the transport drains (last, so goodbyes go out).
 */
export class NodeHost {
  readonly discovery: Registry;
  readonly #o: NodeHostOptions;
  readonly #presences = new Set<Presence>();

  constructor(o: NodeHostOptions) {
    this.#o = o;
    this.discovery = new Registry({ transport: o.transport, subjects: o.subjects, self: o.node });
    registerTransportMetrics(o.metrics, o.transport.stats);
    const m = metricsFor(o.metrics);
    const reg = this.discovery;
    m.gauge({
      name: 'athanor_discovery_peers', help: 'Live peers known to this process, by component.', labelNames: ['component'],
      collect() {
        this.reset();
        for (const p of reg.list()) this.inc({ component: p.announcement.component });
      },
    });
    const stats: ReadonlyArray<[keyof Registry['stats'], string, string]> = [
      ['announcements', 'athanor_discovery_announcements_received_total', 'Announcements received.'],
      ['invalid', 'athanor_discovery_invalid_messages_total', 'Discovery messages dropped as invalid.'],
      ['dropped', 'athanor_discovery_dropped_peers_total', 'Announcements dropped because the peer limit was reached.'],
      ['expired', 'athanor_discovery_expired_peers_total', 'Peers dropped after their TTL of silence.'],
    ];
    for (const [field, name, help] of stats) {
      let last = 0;
      m.counter({ name, help, collect() { const v = reg.stats[field]; if (v > last) { this.inc(v - last); last = v; } } });
    }
  }

  /** Announces an actor (and registers it as a NATS micro-service on a NATS transport). */
  async announce(a: AnnounceOptions): Promise<Presence> {
    const o = this.#o;
    const announcer = new Announcer({
      transport: o.transport, subjects: o.subjects, component: a.component, id: a.id, node: o.node, serves: a.serves,
      info: a.info, ...(o.announceIntervalMs ? { intervalMs: o.announceIntervalMs } : {}),
      onError: (err) => o.log.warn({ component: a.component, actor: a.id, err }, 'announcing; will retry at the next interval'),
    });
    let info = a.info;
    let svc: Service | undefined;
    if (o.transport instanceof NatsTransport) {
      svc = await registerMicroService(o.transport.connection, {
        subjects: o.subjects, component: a.component, id: a.id, version: o.version, metadata: { node: o.node },
        describe: () => ({ component: a.component, id: a.id, node: o.node, serves: a.serves, info }),
      });
    }
    await announcer.start();
    const presence: Presence = {
      update: (next) => { info = next; announcer.update(next); },
      withdraw: async () => {
        this.#presences.delete(presence);
        await announcer.stop();
        await svc?.stop();
      },
    };
    this.#presences.add(presence);
    return presence;
  }

  /**
   * Run-group members in start order: `transport`, then `discovery`. The run group interrupts in
   * reverse, so actors say goodbye and the registry stops before the transport drains.
   */
  members(): RunMember[] {
    return [
      {
        name: 'transport',
        execute: async (signal) => {
          await abortion(signal);
          await this.#o.transport.drain();
        },
      },
      {
        name: 'discovery',
        execute: async (signal) => {
          await this.discovery.start();
          await abortion(signal);
          await Promise.all([...this.#presences].map((p) => p.withdraw()));
          await this.discovery.stop();
        },
      },
    ];
  }
}

function abortion(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(); else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
