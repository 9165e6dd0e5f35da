import type { Counter, Gauge, Histogram } from 'prom-client';
import { metricsFor, type Registry } from '../metrics/registry.js';
import type { MailboxObserver } from './mailbox.js';

/** Per-system actor metrics, labelled by actor path (see docs/metrics.md). */
export class ActorMetrics {
  readonly depth: Gauge<'actor'>;
  readonly dropped: Counter<'actor'>;
  readonly rejected: Counter<'actor'>;
  readonly restarts: Counter<'actor'>;
  readonly messages: Counter<'actor' | 'outcome'>;
  readonly duration: Histogram<'actor'>;

  constructor(registry: Registry) {
    const m = metricsFor(registry);
    this.depth = m.gauge({ name: 'athanor_actor_mailbox_depth', help: 'Messages queued in the actor mailbox.', labelNames: ['actor'] });
    this.dropped = m.counter({ name: 'athanor_actor_mailbox_dropped_total', help: 'Messages discarded by the drop-oldest overflow policy.', labelNames: ['actor'] });
    this.rejected = m.counter({ name: 'athanor_actor_mailbox_rejected_total', help: 'Messages refused with MailboxFullError by the reject overflow policy.', labelNames: ['actor'] });
    this.restarts = m.counter({ name: 'athanor_actor_restarts_total', help: 'Actor restarts by its supervisor.', labelNames: ['actor'] });
    this.messages = m.counter({ name: 'athanor_actor_messages_total', help: 'Messages handled, by outcome (ok, error).', labelNames: ['actor', 'outcome'] });
    this.duration = m.histogram({
      name: 'athanor_actor_message_duration_seconds', help: 'Time to handle one message.', labelNames: ['actor'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    });
  }

  observer(actor: string): MailboxObserver {
    return {
      depth: (n) => this.depth.set({ actor }, n),
      dropped: () => this.dropped.inc({ actor }),
      rejected: () => this.rejected.inc({ actor }),
    };
  }
}
