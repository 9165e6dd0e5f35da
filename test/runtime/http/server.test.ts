import t from 'tap';
import { request } from 'node:http';
import { HttpServer } from '../../../runtime/http/server.js';
import { parseHostPort, formatHostPort } from '../../../runtime/http/address.js';
import { httpFlags } from '../../../runtime/http/flags.js';
import { jsonResponse, textResponse } from '../../../runtime/http/types.js';
import { createRegistry, metricsFor } from '../../../runtime/metrics/registry.js';
import { ConfigError, DecodeError, PayloadTooLargeError } from '../../../runtime/errors/runtime-errors.js';
import { RunGroup } from '../../../runtime/lifecycle/run-group.js';
import { FakeClock } from '../../../runtime/clock.js';

async function started(maxBodyBytes = 1024) {
  const registry = createRegistry();
  metricsFor(registry).counter({ name: 'athanor_test_things_total', help: 'things' }).inc(7);
  const server = new HttpServer({ address: { host: '127.0.0.1', port: 0 }, registry, maxBodyBytes, closeTimeoutMs: 2000 });
  return { server, registry };
}

function base(server: HttpServer): string { return `http://${formatHostPort(server.address!)}`; }

/** POST with a chunked body (no content-length), via node:http. */
function postChunked(url: string, chunks: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST' }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

t.test('http - binds port 0 to a real port and serves metrics, health and readiness', async (t) => {
  const { server } = await started();
  const addr = await server.listen();
  t.ok(addr.port > 0);
  t.equal(server.address?.port, addr.port);
  const metrics = await fetch(`${base(server)}/metrics`);
  t.equal(metrics.status, 200);
  t.match(metrics.headers.get('content-type'), /text\/plain/);
  const text = await metrics.text();
  t.match(text, /athanor_test_things_total 7/);
  t.match(text, /process_resident_memory_bytes/);
  t.equal((await fetch(`${base(server)}/-/healthy`)).status, 200);
  t.equal((await fetch(`${base(server)}/-/ready`)).status, 503);
  server.setReady(true);
  t.equal((await fetch(`${base(server)}/-/ready`)).status, 200);
  t.match(await (await fetch(`${base(server)}/metrics`)).text(), /athanor_http_requests_total\{handler="\/-\/ready",method="GET",code="503"\} 1/);
  await server.close();
  await server.close();
});

t.test('http - routes: exact and prefix, 404 for unknown paths, 405 for wrong methods, form params', async (t) => {
  const { server } = await started();
  server.route('GET', '/api/v1/*', async (req) => jsonResponse(200, { path: req.path, q: req.query.get('query') }));
  server.route('GET', '/api/v1/status/buildinfo', async () => jsonResponse(200, { exact: true }));
  server.route('POST', '/api/v1/query', async (req) => jsonResponse(200, Object.fromEntries(await req.params())));
  t.throws(() => server.route('GET', '/api/v1/*', async () => textResponse(200, '')), ConfigError);
  await server.listen();
  t.same(await (await fetch(`${base(server)}/api/v1/labels?query=up`)).json(), { path: '/api/v1/labels', q: 'up' });
  t.same(await (await fetch(`${base(server)}/api/v1/status/buildinfo`)).json(), { exact: true });
  const post = await fetch(`${base(server)}/api/v1/query?time=1`, { method: 'POST', body: new URLSearchParams({ query: 'sum(up)' }) });
  t.same(await post.json(), { time: '1', query: 'sum(up)' });
  const missing = await fetch(`${base(server)}/nope`);
  t.equal(missing.status, 404);
  t.match(await missing.json(), { status: 'error', errorType: 'not_found' });
  const wrong = await fetch(`${base(server)}/metrics`, { method: 'DELETE' });
  t.equal(wrong.status, 405);
  t.equal(wrong.headers.get('allow'), 'GET');
  await server.close();
});

t.test('http - bodies over the limit are 413 with a typed error, by content-length or while streaming', async (t) => {
  const { server } = await started(1024);
  let handled = 0;
  server.route('POST', '/echo', async (req) => { handled++; return textResponse(200, String((await req.body()).length)); });
  await server.listen();
  const ok = await fetch(`${base(server)}/echo`, { method: 'POST', body: Buffer.alloc(1024, 1) });
  t.equal(await ok.text(), '1024');
  const big = await fetch(`${base(server)}/echo`, { method: 'POST', body: Buffer.alloc(4096, 1) });
  t.equal(big.status, 413);
  t.match(await big.json(), { status: 'error', errorType: new PayloadTooLargeError('').code, retryable: false });
  const chunked = await postChunked(`${base(server)}/echo`, [Buffer.alloc(800, 1), Buffer.alloc(800, 2)]);
  t.equal(chunked.status, 413);
  t.match(JSON.parse(chunked.body), { errorType: 'RT_PAYLOAD_TOO_LARGE' });
  t.equal(handled, 3);
  t.equal((await fetch(`${base(server)}/-/healthy`)).status, 200, 'still serving');
  await server.close();
});

t.test('http - handler errors become JSON errors and the server keeps serving', async (t) => {
  const { server } = await started();
  server.route('GET', '/boom', async () => { throw new Error('exploded while doing x'); });
  server.route('GET', '/bad', async () => { throw new DecodeError('parsing param "start": not a time'); });
  server.route('GET', '/stream', async () => ({ status: 200, stream: (async function* () { yield 'a'; yield Buffer.from('b'); })() }));
  await server.listen();
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`${base(server)}/boom`);
    t.equal(r.status, 500);
    t.same(await r.json(), { status: 'error', errorType: 'INTERNAL', error: 'exploded while doing x', retryable: false });
  }
  const bad = await fetch(`${base(server)}/bad`);
  t.equal(bad.status, 400);
  t.match(await bad.json(), { errorType: 'RT_DECODE' });
  t.equal(await (await fetch(`${base(server)}/stream`)).text(), 'ab');
  t.equal((await fetch(`${base(server)}/-/healthy`)).status, 200);
  await server.close();
});

t.test('http - close lets an in-flight request finish and refuses new connections', async (t) => {
  const { server } = await started();
  let release!: () => void;
  let entered!: () => void;
  const inHandler = new Promise<void>((r) => { entered = r; });
  server.route('GET', '/slow', async () => { entered(); await new Promise<void>((r) => { release = r; }); return textResponse(200, 'done'); });
  await server.listen();
  const url = base(server);
  const slow = fetch(`${url}/slow`);
  await inHandler;
  const closing = server.close();
  t.equal(server.ready, false);
  release();
  const r = await slow;
  t.equal(await r.text(), 'done');
  await closing;
  await t.rejects(fetch(`${url}/-/healthy`));
});

t.test('http - close aborts requests still running after closeTimeoutMs (fake clock)', async (t) => {
  const clock = new FakeClock();
  const server = new HttpServer({ address: { host: '127.0.0.1', port: 0 }, registry: createRegistry({ defaultMetrics: false }), clock, closeTimeoutMs: 3000 });
  let entered!: () => void;
  const inHandler = new Promise<void>((r) => { entered = r; });
  let sawAbort = false;
  server.route('GET', '/stuck', async (req) => {
    entered();
    await new Promise<void>((r) => req.signal.addEventListener('abort', () => { sawAbort = true; r(); }, { once: true }));
    return textResponse(200, 'too late');
  });
  await server.listen();
  const stuck = fetch(`${base(server)}/stuck`).then((r) => r.text());
  stuck.catch(() => { /* asserted below */ });
  await inHandler;
  const closing = server.close();
  await clock.whenPending(1);
  clock.advance(2999);
  t.equal(sawAbort, false, 'still waiting before the timeout');
  clock.advance(1);
  await closing;
  t.equal(sawAbort, true, 'the handler signal was aborted');
  await t.rejects(stuck, 'the connection was dropped');
});

t.test('http - run-group member listens, and stops when the group stops', async (t) => {
  const { server } = await started();
  const g = new RunGroup();
  g.addMember(server.member());
  let stop!: () => void;
  g.add('main', () => new Promise<void>((r) => { stop = r; }));
  const running = g.run();
  while (server.address === undefined) await new Promise((r) => setImmediate(r));
  t.equal((await fetch(`${base(server)}/-/healthy`)).status, 200);
  stop();
  t.same(await running, { first: 'main' });
  await t.rejects(fetch(`${base(server)}/-/healthy`));
});

t.test('http address - parses host:port forms and rejects bad ones', async (t) => {
  t.same(parseHostPort('127.0.0.1:10902'), { host: '127.0.0.1', port: 10902 });
  t.same(parseHostPort(':9090'), { host: '0.0.0.0', port: 9090 });
  t.same(parseHostPort('[::1]:0'), { host: '::1', port: 0 });
  t.equal(formatHostPort({ host: '::1', port: 5 }), '[::1]:5');
  for (const bad of ['localhost', '1.2.3.4:99999', 'a:b', '']) t.throws(() => parseHostPort(bad), ConfigError, bad);
  t.equal(httpFlags['http-address'].default, '127.0.0.1:10902');
});
