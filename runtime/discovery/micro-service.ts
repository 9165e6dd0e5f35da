import type { NatsConnection, Service } from 'nats';
import type { Subjects } from '../transport/subject.js';

export interface MicroServiceOptions {
  readonly subjects: Subjects;
  readonly component: string;
  readonly id: string;
  /** Semver of athanor. */
  readonly version: string;
  readonly description?: string;
  /** Plain string metadata shown by `$SRV.INFO` (node, subjects…). */
  readonly metadata?: Record<string, string>;
  /** Returns the instance's current announcement, served by its `announce` endpoint. */
  readonly describe: () => unknown;
}

/**
 * Registers an actor as a NATS micro-service (`athanor-<component>`), so `$SRV.PING`,
 * `$SRV.INFO` and `$SRV.STATS` (and the `nats micro` tooling) see every actor. It exposes one
 * endpoint, `announce`, on `<prefix>.rpc.<component>.announce.<id>`, answering with the
 * instance's current announcement as JSON. `stop()` on the returned service deregisters it.
 */
export async function registerMicroService(nc: NatsConnection, o: MicroServiceOptions): Promise<Service> {
  const svc = await nc.services.add({
    name: `athanor-${o.component}`,
    version: o.version,
    description: o.description ?? `athanor ${o.component} actor ${o.id}`,
    metadata: { id: o.id, prefix: o.subjects.prefix, ...o.metadata },
  });
  svc.addEndpoint('announce', {
    subject: o.subjects.rpcInstance(o.component, 'announce', o.id),
    metadata: { contentType: 'application/json' },
    handler: (err, msg) => {
      if (err) return;
      msg.respond(new TextEncoder().encode(JSON.stringify(o.describe())));
    },
  });
  return svc;
}
