import type { RunMember } from '../../runtime/lifecycle/run-group.js';
import { childLogger } from '../../runtime/log/logger.js';
import type { ProcessContext } from '../../runtime/node/boot.js';
import type { Transport } from '../../runtime/transport/transport.js';
import { WorkerPool } from '../../runtime/workers/pool.js';
import { Engine } from '../shared/promql/engine/engine.js';
import { StoreSet } from '../shared/storeapi/client/store-set.js';
import { clientSeriesBackstopMs } from './fanout.js';
import { serveStoreAPI } from '../shared/storeapi/server/serve.js';
import { querySettingsFromFlags } from './flags.js';
import { querierTasks } from './pool/tasks.js';
import { ProxyStore } from './proxy-store.js';
import { Semaphore } from './semaphore.js';
import { StaticEndpoints } from './static-endpoints.js';
import type { StoreEndpoint } from './store-queryable.js';
import { mountIndexPage } from './web/index-page.js';
import { mountQuerierApi } from './web/query-api.js';
import { mountStoresApi, type EndpointStatus } from './web/stores-api.js';

/** How long the first discovery round may take before the querier reports ready anyway. */
const DISCOVERY_ROUND_MS = 1000;
const STATIC_REFRESH_MS = 10_000;

/**
 * Wiring of `athanor query` (no behaviour here): StoreSet over discovery (+ static `--endpoint`s)
 * → StoreQueryable per request → Engine → Prometheus HTTP API with Thanos's extras, `/api/v1/stores`
 * and the web page; the querier's own StoreAPI (ProxyStore, component `query`) served and announced
 * for query-of-queriers. Ready after the first discovery round (a store seen, or one round elapsed).
 * Everything goes over the process's one transport (in-process or NATS).
 */
export async function setupQuerier(ctx: ProcessContext, version: string): Promise<{ members: RunMember[]; ready: Promise<void> }> {
  const log = childLogger(ctx.log, { component: 'query' });
  const s = querySettingsFromFlags(ctx.flags);
  const transport: Transport = ctx.transport;
  const id = ctx.node;
  const storeSet = new StoreSet({
    registry: ctx.host.discovery, transport, subjects: ctx.subjects,
    // Queriers are never discovered (each would fan out to the others): stack them with --endpoint.
    exclude: (p) => p.announcement.component === 'query',
    client: { ...(s.responseTimeoutMs > 0 ? { responseTimeoutMs: s.responseTimeoutMs } : {}), seriesTimeoutMs: clientSeriesBackstopMs(s.responseTimeoutMs) },
  });
  const statics = new StaticEndpoints(transport, ctx.subjects, s.endpoints, s.responseTimeoutMs);
  const stores = (): StoreEndpoint[] => [
    ...(s.discovery ? storeSet.list().map((r) => ({ name: r.key, info: r.info, client: r.client })) : []),
    ...statics.stores(),
  ];
  const status = (): EndpointStatus[] => [
    ...(s.discovery ? storeSet.list() : []).map((r) => ({
      name: r.key, info: r.info, lastCheckMs: Math.max(r.lastSeenMs, r.health.lastSuccessMs ?? 0),
      ...(r.health.healthy || r.health.lastError === undefined ? {} : { lastError: r.health.lastError }),
    })),
    ...statics.status(),
  ];
  const pool = s.decodeWorkers > 0 ? new WorkerPool(querierTasks, { name: 'querier', minThreads: 0, maxThreads: s.decodeWorkers, registry: ctx.metrics }) : undefined;
  const engine = new Engine({ lookbackDeltaMs: s.lookbackDeltaMs, maxSamples: s.maxSamples, timeoutMs: s.timeoutMs });
  mountQuerierApi(ctx.http, {
    engine, stores, dedupFunc: s.dedupFunc, responseTimeoutMs: s.responseTimeoutMs, maxConcurrentSelect: s.maxConcurrentSelect,
    gate: new Semaphore(s.maxConcurrent), replicaLabels: s.replicaLabels, partialResponse: s.partialResponse,
    autoDownsampling: s.autoDownsampling, ...(pool === undefined ? {} : { pool }),
    buildInfo: { version, revision: 'unknown', branch: 'main', buildUser: 'athanor', buildDate: 'unknown', goVersion: process.version },
  });
  mountStoresApi(ctx.http, status);
  mountIndexPage(ctx.http);

  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  const member: RunMember = {
    name: 'query',
    async execute(signal) {
      storeSet.start();
      const timer = setInterval(() => { void statics.refresh(signal); }, STATIC_REFRESH_MS);
      timer.unref();
      const proxy = new ProxyStore({ id, stores, responseTimeoutMs: s.responseTimeoutMs, watch: (l) => storeSet.on(() => l()) });
      const server = await serveStoreAPI({
        transport, subjects: ctx.subjects, host: ctx.host, component: 'query', id, impl: proxy, metrics: ctx.metrics,
        onError: (err, what) => log.warn({ err }, what),
      });
      try {
        await statics.refresh(signal);
        ctx.host.discovery.probe();
        let round: NodeJS.Timeout | undefined;
        await Promise.race([
          storeSet.waitUntil((l) => l.length > 0, signal).catch(() => undefined),
          new Promise<void>((resolve) => { round = setTimeout(resolve, DISCOVERY_ROUND_MS); }),
        ]);
        clearTimeout(round);
        log.info({ stores: stores().length }, 'first discovery round done');
        markReady();
        if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      } finally {
        clearInterval(timer);
        await server.close();
        storeSet.stop();
        await pool?.close();
      }
    },
  };
  return { members: [member], ready };
}
