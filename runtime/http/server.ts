/**
 * The HTTP server every process runs (node:http, no framework): `/metrics` (the process
 * registry in Prometheus text format), `/-/healthy` (200 while up), `/-/ready` (503 until
 * `setReady(true)`), and component routes registered with `route()`. Handler errors become JSON
 * error responses and never crash the server; unknown paths are 404, wrong methods 405, bodies
 * over `maxBodyBytes` 413. `close()` stops accepting, lets in-flight requests finish for up to
 * `closeTimeoutMs`, then aborts them and drops their connections.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { systemClock, type Clock } from '../clock.js';
import { ClosedError } from '../errors/runtime-errors.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { metricsFor, type Registry } from '../metrics/registry.js';
import type { RunMember } from '../lifecycle/run-group.js';
import { formatHostPort, type HostPort } from './address.js';
import { readBody } from './body.js';
import { errorResponse } from './errors.js';
import { Router } from './router.js';
import { jsonResponse, textResponse, type HttpHandler, type HttpMethod, type HttpRequest, type HttpResponse } from './types.js';

export interface HttpServerOptions {
  readonly address: HostPort;
  readonly registry: Registry;
  readonly log?: Logger;
  readonly clock?: Clock;
  /** Largest accepted request body (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** How long `close()` waits for in-flight requests (default 5 s). */
  readonly closeTimeoutMs?: number;
}

export class HttpServer {
  readonly #router = new Router();
  readonly #server: Server;
  readonly #opts: HttpServerOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #inflight = new Set<AbortController>();
  readonly #requests: Counter<'handler' | 'method' | 'code'>;
  readonly #duration: Histogram<'handler' | 'method'>;
  readonly #inflightGauge: Gauge;
  #ready = false;
  #listening: HostPort | undefined;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor(opts: HttpServerOptions) {
    this.#opts = opts;
    this.#log = opts.log ?? silentLogger();
    this.#clock = opts.clock ?? systemClock;
    const m = metricsFor(opts.registry);
    this.#requests = m.counter({ name: 'athanor_http_requests_total', help: 'HTTP requests by route, method and status code.', labelNames: ['handler', 'method', 'code'] });
    this.#duration = m.histogram({ name: 'athanor_http_request_duration_seconds', help: 'HTTP request latency by route.', labelNames: ['handler', 'method'], buckets: [0.001, 0.01, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120] });
    this.#inflightGauge = m.gauge({ name: 'athanor_http_inflight_requests', help: 'HTTP requests being served.' });
    this.#server = createServer((req, res) => { void this.#serve(req, res); });
    this.route('GET', '/metrics', async () => textResponse(200, await opts.registry.metrics(), { 'content-type': opts.registry.contentType }));
    this.route('GET', '/-/healthy', async () => textResponse(200, 'OK\n'));
    this.route('GET', '/-/ready', async () => this.#ready ? textResponse(200, 'OK\n') : textResponse(503, 'not ready\n'));
  }

  /** Registers a handler for an exact path or a `/prefix/*`; ConfigError on duplicates. */
  route(method: HttpMethod, path: string, handler: HttpHandler): void {
    this.#router.add(method, path, handler);
  }

  /** Flips `/-/ready`. Components call this after their initial work (first sync, first discovery). */
  setReady(ready: boolean): void { this.#ready = ready; }
  get ready(): boolean { return this.#ready; }

  /** Where the server listens (the real port when asked for port 0); undefined before `listen()`. */
  get address(): HostPort | undefined { return this.#listening; }

  async listen(): Promise<HostPort> {
    const { host, port } = this.#opts.address;
    this.#server.listen(port, host);
    await Promise.race([once(this.#server, 'listening'), once(this.#server, 'error').then(([err]) => { throw err; })]);
    const a = this.#server.address() as AddressInfo;
    this.#listening = { host: a.address, port: a.port };
    this.#log.info({ address: formatHostPort(this.#listening) }, 'listening for HTTP');
    return this.#listening;
  }

  /** Graceful close; idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** A run-group member: listens, serves until the signal aborts, then closes. */
  member(name = 'http'): RunMember {
    return {
      name,
      execute: async (signal) => {
        await this.listen();
        if (!signal.aborted) await once(signal, 'abort');
        await this.close();
      },
    };
  }

  async #close(): Promise<void> {
    this.#ready = false;
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    if (this.#inflight.size > 0) {
      const drained = new Promise<void>((resolve) => { this.#drained = resolve; });
      const timer = this.#clock.setTimer(this.#opts.closeTimeoutMs ?? 5000, () => this.#drained?.());
      await drained;
      timer.cancel();
      if (this.#inflight.size > 0) this.#log.warn({ inflight: this.#inflight.size }, 'aborting in-flight HTTP requests on close');
      for (const ac of this.#inflight) ac.abort(new ClosedError('serving HTTP: server closing'));
    }
    this.#server.closeAllConnections();
    await closed;
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ac = new AbortController();
    this.#inflight.add(ac);
    this.#inflightGauge.inc();
    res.on('close', () => { if (!res.writableFinished) ac.abort(new ClosedError('serving HTTP: client went away')); });
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = this.#router.match(method, url.pathname);
    const handlerLabel = match.kind === 'found' ? match.route.pattern : match.kind === 'not-found' ? 'notfound' : 'method-not-allowed';
    const endTimer = this.#duration.startTimer({ handler: handlerLabel, method });
    let response: HttpResponse;
    try {
      if (match.kind === 'not-found') response = jsonResponse(404, { status: 'error', errorType: 'not_found', error: `no route for ${url.pathname}` });
      else if (match.kind === 'method-not-allowed') response = jsonResponse(405, { status: 'error', errorType: 'method_not_allowed', error: `method ${method} not allowed on ${url.pathname}` }, { allow: match.allow.join(', ') });
      else response = await match.route.handler(this.#request(req, url, ac.signal));
    } catch (err) {
      response = errorResponse(err);
      if (response.status >= 500 && response.status !== 503) this.#log.warn({ err, path: url.pathname }, 'HTTP handler failed');
    }
    try {
      await this.#write(req, res, response, method === 'HEAD');
    } catch (err) {
      this.#log.debug({ err, path: url.pathname }, 'writing HTTP response');
      res.destroy();
    } finally {
      this.#requests.inc({ handler: handlerLabel, method, code: String(response.status) });
      endTimer();
      this.#inflightGauge.dec();
      this.#inflight.delete(ac);
      if (this.#inflight.size === 0) this.#drained?.();
    }
  }

  #request(req: IncomingMessage, url: URL, signal: AbortSignal): HttpRequest {
    const limit = this.#opts.maxBodyBytes ?? 1 << 20;
    let body: Promise<Buffer> | undefined;
    const readOnce = (): Promise<Buffer> => (body ??= readBody(req, limit));
    return {
      method: req.method ?? 'GET', path: url.pathname, url, query: url.searchParams, headers: req.headers, signal, raw: req,
      body: readOnce,
      text: async () => (await readOnce()).toString('utf8'),
      params: async () => {
        const p = new URLSearchParams(url.searchParams);
        if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
          for (const [k, v] of new URLSearchParams((await readOnce()).toString('utf8'))) p.append(k, v);
        }
        return p;
      },
    };
  }

  async #write(req: IncomingMessage, res: ServerResponse, r: HttpResponse, head: boolean): Promise<void> {
    // A request whose body was not read to the end leaves bytes on the socket; close it after
    // this response rather than parse them as the next request.
    if (!req.complete) res.setHeader('connection', 'close');
    res.statusCode = r.status;
    for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
    if (head) { res.end(); return; }
    if (r.stream !== undefined) {
      for await (const chunk of r.stream) {
        if (res.destroyed) throw new ClosedError('writing HTTP response: client went away');
        if (!res.write(chunk)) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
      }
      res.end();
      return;
    }
    res.end(r.body ?? '');
  }
}
