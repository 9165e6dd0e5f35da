/**
 * Registers the Prometheus 2.42 HTTP API routes on an HttpServer. Every handler reads parameters
 * as Go's ParseForm (query string + form body), renders errors as `{"status":"error",…}` with
 * 2.42's status codes, and passes the request's AbortSignal (aborted when the client goes away)
 * down to the engine and the metadata source.
 */
import type { HttpServer } from '../../../../runtime/http/server.js';
import type { HttpRequest, HttpResponse } from '../../../../runtime/http/types.js';
import type { PrometheusApiDeps } from './deps.js';
import { compressResponse } from './compression.js';
import { classifyError, errorResponse } from './envelope.js';
import { readForm, type FormValues } from './form.js';
import { handleBuildInfo, handleLabels, handleLabelValues, handleMetadata, handleSeries } from './metadata-handlers.js';
import { handleFormatQuery, handleQuery, handleQueryRange } from './query-handlers.js';

type FormHandler = (form: FormValues, req: HttpRequest) => Promise<HttpResponse>;

/** Routes registered by {@link mountPrometheusApi}, relative to the prefix, with their methods. */
export const PROMETHEUS_API_ROUTES: ReadonlyArray<readonly [path: string, methods: readonly ('GET' | 'POST')[]]> = [
  ['/query', ['GET', 'POST']], ['/query_range', ['GET', 'POST']], ['/format_query', ['GET', 'POST']],
  ['/series', ['GET', 'POST']], ['/labels', ['GET', 'POST']], ['/label/*', ['GET']], ['/metadata', ['GET']],
  ['/status/buildinfo', ['GET']],
];

/**
 * Turns a handler over form values into an HttpHandler: parses the form, renders thrown errors
 * (PrometheusApiError keeps its type; PromQL errors map by code; anything else is `execution`).
 * Bodies are gzip/deflate-compressed when the client accepts it (as 2.42). Body-size errors of the
 * runtime (413) pass through to the server.
 */
export function apiHandler(fn: FormHandler): (req: HttpRequest) => Promise<HttpResponse> {
  return async (req) => {
    const form = await readForm(req);
    let res: HttpResponse;
    try {
      res = await fn(form, req);
    } catch (err) {
      const c = classifyError(err);
      res = errorResponse(c.type, c.message);
    }
    return compressResponse(res, req.headers['accept-encoding']);
  };
}

/** The `<name>` of `<prefix>/label/<name>/values`, or undefined when the path has another shape. */
export function labelNameFromPath(path: string, prefix: string): string | undefined {
  const rest = path.slice(prefix.length + '/label/'.length);
  if (!path.startsWith(prefix + '/label/') || !rest.endsWith('/values')) return undefined;
  const name = rest.slice(0, -'/values'.length);
  return name === '' || name.includes('/') ? undefined : name;
}

/** Registers the API under `prefix` (default `/api/v1`). */
export function mountPrometheusApi(server: HttpServer, deps: PrometheusApiDeps, prefix = '/api/v1'): void {
  const handlers: Record<string, FormHandler> = {
    '/query': (f, r) => handleQuery(f, r.signal, deps),
    '/query_range': (f, r) => handleQueryRange(f, r.signal, deps),
    '/format_query': (f) => handleFormatQuery(f),
    '/series': (f, r) => handleSeries(f, r.signal, deps),
    '/labels': (f, r) => handleLabels(f, r.signal, deps),
    '/label/*': async (f, r) => {
      const name = labelNameFromPath(r.path, prefix);
      if (name === undefined) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '404 page not found\n' };
      return handleLabelValues(name, f, r.signal, deps);
    },
    '/metadata': (f, r) => handleMetadata(f, r.signal, deps),
    '/status/buildinfo': async () => handleBuildInfo(deps.buildInfo),
  };
  for (const [path, methods] of PROMETHEUS_API_ROUTES) {
    const h = apiHandler(handlers[path]!);
    for (const m of methods) server.route(m, prefix + path, h);
  }
}
