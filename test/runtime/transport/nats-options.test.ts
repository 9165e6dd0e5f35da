import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlags, type Command } from '../../../runtime/cli/command.js';
import { ConfigError, NoRespondersError, TransportError } from '../../../runtime/errors/runtime-errors.js';
import { natsFlags, natsOptionsFromFlags, toConnectionOptions } from '../../../runtime/transport/nats-options.js';
import { NatsTransport } from '../../../runtime/transport/nats-transport.js';
import type { Subject } from '../../../runtime/transport/transport.js';
import { freePort } from '../../harness/ports.js';
import { startNats } from '../../harness/nats.js';

const cmd: Command = { path: ['test'], summary: 'test', flags: natsFlags, run: async () => 0 };
const opts = (argv: string[]) => natsOptionsFromFlags(parseFlags(cmd, argv).flags, 'athanor-test');

t.test('flag defaults and repeatable urls', async (t) => {
  t.same(opts([]), { servers: ['nats://127.0.0.1:4222'], prefix: 'athanor', name: 'athanor-test' });
  const o = opts(['--nats.url', 'nats://a:4222', '--nats.url', 'tls://b:4443', '--nats.prefix', 'prod.eu', '--nats.user', 'u', '--nats.password', 'p',
    '--nats.tls-ca', '/ca.pem', '--nats.tls-cert', '/c.pem', '--nats.tls-key', '/k.pem']);
  t.same(o.servers, ['nats://a:4222', 'tls://b:4443']);
  t.equal(o.prefix, 'prod.eu');
  t.same([o.user, o.password], ['u', 'p']);
  t.same(o.tls, { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' });
  const c = toConnectionOptions(o);
  t.same(c.servers, ['nats://a:4222', 'tls://b:4443']);
  t.same([c.user, c.pass, c.name], ['u', 'p', 'athanor-test']);
  t.same(c.tls, { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' });
  t.equal(c.noAsyncTraces, true, 'no stack captured per request');
});

t.test('bad combinations are ConfigErrors', async (t) => {
  for (const argv of [
    ['--nats.user', 'u'],
    ['--nats.password', 'p'],
    ['--nats.token', 't', '--nats.user', 'u', '--nats.password', 'p'],
    ['--nats.creds-file', '/a', '--nats.nkey-file', '/b'],
    ['--nats.tls-cert', '/c.pem'],
    ['--nats.tls-key', '/k.pem'],
    ['--nats.url', 'http://x:80'],
    ['--nats.url', 'nats://a b'],
    ['--nats.prefix', 'a.>'],
  ]) t.throws(() => opts(argv), ConfigError, argv.join(' '));
  t.throws(() => toConnectionOptions({ servers: ['nats://x:1'], credsFile: '/nonexistent/x.creds' }), /reading creds file \/nonexistent\/x.creds/);
  t.throws(() => toConnectionOptions({ servers: [] }), ConfigError);
});

t.test('nkey seed file becomes an authenticator', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'athanor-nkey-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const f = join(dir, 'seed.nk');
  writeFileSync(f, 'SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4\n');
  const c = toConnectionOptions(opts(['--nats.nkey-file', f]));
  t.equal(typeof c.authenticator, 'function');
});

t.test('user/password and token authenticate against a real nats-server', async (t) => {
  const srv = await startNats(['authorization { user: athanor, password: s3cret }']);
  t.teardown(() => srv.stop());
  const good = await NatsTransport.connect({ servers: [srv.url], user: 'athanor', password: 's3cret' });
  t.teardown(() => good.drain());
  await t.rejects(good.request('x.y' as Subject, 1, { timeoutMs: 5000 }), NoRespondersError, 'connected and working');
  await t.rejects(NatsTransport.connect({ servers: [srv.url], user: 'athanor', password: 'wrong' }), ConfigError, 'bad credentials are a config error');
  const tok = await startNats(['authorization { token: t0ken }']);
  t.teardown(() => tok.stop());
  const withToken = await NatsTransport.connect({ servers: [tok.url], token: 't0ken' });
  t.ok(withToken.maxPayloadBytes > 1_000_000 && withToken.maxPayloadBytes < 1_048_576, 'max payload from the server, minus headroom');
  await withToken.drain();
});

t.test('an unreachable server is a TransportError', async (t) => {
  const port = await freePort();
  await t.rejects(NatsTransport.connect({ servers: [`nats://127.0.0.1:${port}`], connectTimeoutMs: 1000 }), TransportError);
});

/** A throwaway CA, a server cert for 127.0.0.1 and a client cert, made with the openssl CLI. */
async function makeCerts(dir: string): Promise<void> {
  const run = (args: string[]) => promisify(execFile)('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run(['req', '-x509', ...ec, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=athanor-test-ca']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const [name, ext] of [['server', ['-extfile', 'san.ext']], ['client', []]] as const) {
    await run(['req', ...ec, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=athanor-${name}`]);
    await run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', ...ext]);
  }
}

t.test('TLS flags: CA and client certificate against a real nats-server requiring mutual TLS', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'athanor-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await makeCerts(dir);
  const f = (n: string) => join(dir, n);
  const srv = await startNats([`tls { cert_file: "${f('server.pem')}", key_file: "${f('server-key.pem')}", ca_file: "${f('ca.pem')}", verify: true, timeout: 2 }`]);
  t.teardown(() => srv.stop());
  const o = opts(['--nats.url', srv.url, '--nats.tls-ca', f('ca.pem'), '--nats.tls-cert', f('client.pem'), '--nats.tls-key', f('client-key.pem')]);
  const tr = await NatsTransport.connect(o);
  tr.handle('tls.echo' as Subject, async (x) => x);
  t.equal(await tr.request('tls.echo' as Subject, 'over tls', { timeoutMs: 5000 }), 'over tls', 'request/reply over mutual TLS');
  await tr.drain();
  const noClientCert = opts(['--nats.url', srv.url, '--nats.tls-ca', f('ca.pem')]);
  const err = await NatsTransport.connect({ ...noClientCert, connectTimeoutMs: 2000 }).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof TransportError, `the server refuses a client without a certificate (${String(err)})`);
});
