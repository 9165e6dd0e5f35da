import type { HttpServer } from '../../../runtime/http/server.js';
import type { HttpResponse } from '../../../runtime/http/types.js';
import type { WorkerPool } from '../../../runtime/workers/pool.js';
import type { BuildInfo, PrometheusApiDeps } from '../../shared/promql/api/deps.js';
import { apiHandler, labelNameFromPath, PROMETHEUS_API_ROUTES } from '../../shared/promql/api/mount.js';
import type { FormValues } from '../../shared/promql/api/form.js';
import { handleBuildInfo, handleLabels, handleLabelValues, handleMetadata, handleSeries } from '../../shared/promql/api/metadata-handlers.js';
import { handleFormatQuery, handleQuery, handleQueryRange } from '../../shared/promql/api/query-handlers.js';
import type { Engine } from '../../shared/promql/engine/engine.js';
import type { QueryResult } from '../../shared/promql/engine/result.js';
import type { DedupFunc } from '../dedup/series-dedup.js';
import type { QuerierTasks } from '../pool/tasks.js';
import type { Semaphore } from '../semaphore.js';
import { StoreQueryable, type StoreEndpoint } from '../store-queryable.js';
import { parseThanosParams, stepOf, type ThanosDefaults } from './thanos-params.js';

export interface QuerierApiOptions extends ThanosDefaults {
  readonly engine: Engine;
  readonly stores: () => readonly StoreEndpoint[];
  readonly dedupFunc: DedupFunc;
  readonly responseTimeoutMs: number;
  readonly maxConcurrentSelect: number;
  /** `--query.max-concurrent`: queries evaluated at once; others wait. */
  readonly gate: Semaphore;
  readonly buildInfo: BuildInfo;
  readonly pool?: WorkerPool<QuerierTasks>;
  readonly now?: () => number;
}

/** A StoreQueryable for one request, from its Thanos parameters. */
export function requestQueryable(o: QuerierApiOptions, form: FormValues, stepMs: number | undefined): StoreQueryable {
  const p = parseThanosParams(form, o, stepMs);
  return new StoreQueryable({
    stores: o.stores, replicaLabels: p.replicaLabels, dedup: p.dedup, dedupFunc: o.dedupFunc,
    partialResponse: p.partialResponse ? 'WARN' : 'ABORT', responseTimeoutMs: o.responseTimeoutMs,
    maxConcurrentSelect: o.maxConcurrentSelect, maxSourceResolutionMs: p.maxSourceResolutionMs, storeMatch: p.storeMatch,
    ...(o.pool === undefined ? {} : { pool: o.pool }),
  });
}

function depsFor(o: QuerierApiOptions, q: StoreQueryable): PrometheusApiDeps {
  const withWarnings = async (run: () => Promise<QueryResult>, signal: AbortSignal): Promise<QueryResult> => {
    const release = await o.gate.acquire(signal);
    try {
      const res = await run();
      return { ...res, warnings: [...res.warnings, ...q.warnings] };
    } finally { release(); }
  };
  return {
    engine: {
      instantQuery: (query, t, signal) => withWarnings(() => o.engine.instantQuery(q, query, t, signal), signal),
      rangeQuery: (query, s, e, step, signal) => withWarnings(() => o.engine.rangeQuery(q, query, s, e, step, signal), signal),
    },
    metadata: q, buildInfo: o.buildInfo, ...(o.now === undefined ? {} : { now: o.now }),
  };
}

/**
 * Registers the Prometheus HTTP API under `/api/v1` with Thanos's extras: every query and
 * metadata request gets its own StoreQueryable built from `dedup`, `partial_response`,
 * `max_source_resolution`, `replicaLabels[]` and `storeMatch[]`; store warnings are returned in
 * the response's `warnings`. Queries pass the `--query.max-concurrent` gate.
 */
export function mountQuerierApi(server: HttpServer, o: QuerierApiOptions, prefix = '/api/v1'): void {
  type H = (f: FormValues, signal: AbortSignal, path: string) => Promise<HttpResponse>;
  const handlers: Record<string, H> = {
    '/query': (f, s) => handleQuery(f, s, depsFor(o, requestQueryable(o, f, undefined))),
    '/query_range': (f, s) => handleQueryRange(f, s, depsFor(o, requestQueryable(o, f, stepOf(f)))),
    '/format_query': (f) => handleFormatQuery(f),
    '/series': (f, s) => handleSeries(f, s, depsFor(o, requestQueryable(o, f, undefined))),
    '/labels': (f, s) => handleLabels(f, s, depsFor(o, requestQueryable(o, f, undefined))),
    '/label/*': async (f, s, path) => {
      const name = labelNameFromPath(path, prefix);
      if (name === undefined) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '404 page not found\n' };
      return handleLabelValues(name, f, s, depsFor(o, requestQueryable(o, f, undefined)));
    },
    '/metadata': (f, s) => handleMetadata(f, s, depsFor(o, requestQueryable(o, f, undefined))),
    '/status/buildinfo': async () => handleBuildInfo(o.buildInfo),
  };
  for (const [path, methods] of PROMETHEUS_API_ROUTES) {
    const fn = handlers[path];
    if (fn === undefined) continue;
    const h = apiHandler((f, r) => fn(f, r.signal, r.path));
    for (const m of methods) server.route(m, prefix + path, h);
  }
}
