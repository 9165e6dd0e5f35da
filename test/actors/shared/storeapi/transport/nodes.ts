import type { Registry as MetricsRegistry } from 'prom-client';
import { StoreSet, type StoreRef } from '../../../../../actors/shared/storeapi/client/store-set.js';
import type { StoreClientOptions } from '../../../../../actors/shared/storeapi/client/store-client.js';
import { serveStoreAPI, type ServeStoreAPIOptions, type StoreServer } from '../../../../../actors/shared/storeapi/server/serve.js';
import { Registry } from '../../../../../runtime/discovery/registry.js';
import { silentLogger } from '../../../../../runtime/log/logger.js';
import { createRegistry } from '../../../../../runtime/metrics/registry.js';
import { NodeHost } from '../../../../../runtime/node/host.js';
import type { BusTransport } from '../../../../../runtime/transport/bus-transport.js';
import { Subjects } from '../../../../../runtime/transport/subject.js';

export const subjects = new Subjects('athanor');

/** A server process: its own transport, NodeHost and served StoreAPI. */
export interface ServerNode {
  readonly server: StoreServer;
  readonly host: NodeHost;
  readonly metrics: MetricsRegistry;
  stop(): Promise<void>;
}

export async function startServer(
  transport: BusTransport, o: Omit<ServeStoreAPIOptions, 'transport' | 'subjects' | 'host' | 'metrics'>,
): Promise<ServerNode> {
  const metrics = createRegistry({ defaultMetrics: false });
  const host = new NodeHost({ transport, subjects, metrics, log: silentLogger(), node: `node-${o.id}`, version: '0.0.0-test', announceIntervalMs: 60_000 });
  const server = await serveStoreAPI({ ...o, transport, subjects, host, metrics });
  return { server, host, metrics, stop: () => server.close() };
}

/** A client process: its own registry and StoreSet over `transport`. */
export interface ClientNode {
  readonly registry: Registry;
  readonly set: StoreSet;
  /** Waits until the store `component/id` is in the set, and returns it. */
  store(key: string): Promise<StoreRef>;
  stop(): Promise<void>;
}

export function startClient(transport: BusTransport, client: StoreSetClientOptions = {}): ClientNode {
  const registry = new Registry({ transport, subjects, self: 'test-client' });
  const set = new StoreSet({ registry, transport, subjects, client });
  set.start();
  registry.start();
  return {
    registry, set,
    async store(key) {
      // A ref'd timer keeps the process alive while the (unref'd) announce timers run, and bounds the wait.
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(new Error(`store ${key} not discovered within 10 s`)), 10_000);
      try { await set.waitUntil((ss) => ss.some((s) => s.key === key), ac.signal); } finally { clearTimeout(timer); }
      return set.get(key)!;
    },
    async stop() { set.stop(); await registry.stop(); },
  };
}

export type StoreSetClientOptions = Omit<StoreClientOptions, 'transport' | 'subjects'>;
