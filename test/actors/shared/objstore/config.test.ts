import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { Registry } from 'prom-client';
import t from 'tap';
import { collect } from '../../../../actors/shared/objstore/body.js';
import { parseObjstoreYaml } from '../../../../actors/shared/objstore/config.js';
import { parseBytes, parseDurationMs } from '../../../../actors/shared/objstore/config-reader.js';
import { bucketFromFlags, createBucket, objstoreFlags } from '../../../../actors/shared/objstore/factory.js';
import { FilesystemBucket } from '../../../../actors/shared/objstore/filesystem.js';
import { parseS3Config } from '../../../../actors/shared/objstore/s3-config.js';
import { makeS3Client } from '../../../../actors/shared/objstore/s3.js';
import { startS3rver } from '../../../harness/s3rver.js';

const dir = mkdtempSync(join(tmpdir(), 'objstore-config-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();

/** The S3 example of Thanos's docs/storage.md, with every field spelled out. */
const thanosS3 = (endpoint: string): string => `type: S3
config:
  bucket: "thanos"
  endpoint: "${endpoint}"
  region: ""
  disable_dualstack: false
  aws_sdk_auth: false
  access_key: "S3RVER"
  insecure: true
  signature_version2: false
  secret_key: "$(ATHANOR_TEST_SECRET)"
  session_token: ""
  put_user_metadata: {}
  http_config:
    idle_conn_timeout: 1m30s
    response_header_timeout: 2m
    insecure_skip_verify: false
    tls_handshake_timeout: 10s
    expect_continue_timeout: 1s
    max_idle_conns: 100
    max_idle_conns_per_host: 100
    max_conns_per_host: 0
    tls_config:
      ca_file: ""
      cert_file: ""
      key_file: ""
      server_name: ""
      insecure_skip_verify: false
    disable_compression: false
  trace:
    enable: false
  list_objects_version: ""
  bucket_lookup_type: auto
  send_content_md5: true
  disable_multipart: false
  part_size: 67108864
  sse_config:
    type: ""
    kms_key_id: ""
    kms_encryption_context: {}
    encryption_key: ""
  sts_endpoint: ""
  max_retries: 0
prefix: "tenant-a"
`;

t.test('a Thanos S3 bucket.yml works unchanged against s3rver', async (t) => {
  const srv = await startS3rver(['thanos']);
  t.teardown(() => srv.stop());
  const file = join(dir, 's3.yml');
  writeFileSync(file, thanosS3(srv.endpoint));
  process.env.ATHANOR_TEST_SECRET = 'S3RVER';
  const reg = new Registry();
  const b = await bucketFromFlags({ 'objstore.config-file': file }, { registry: reg });
  t.teardown(() => b.close());
  t.equal(b.provider, 'S3');
  await b.upload('01H/meta.json', enc.encode('{}'));
  t.equal(Buffer.from(await collect(await b.get('01H/meta.json'))).toString(), '{}');
  const names: string[] = [];
  for await (const n of b.iter('')) names.push(n);
  t.same(names, ['01H/']);
  const raw = makeS3Client(parseS3Config(srv.config('thanos')));
  t.teardown(() => raw.destroy());
  t.ok(await raw.send(new CreateBucketCommand({ Bucket: 'unused' })), 'server reachable');
  const direct = createBucket({ type: 'S3', config: srv.config('thanos'), prefix: '' });
  t.equal(await direct.exists('tenant-a/01H/meta.json'), true, 'prefix shifts objects');
  await direct.close();
  t.match(await reg.metrics(), /athanor_objstore_bucket_operations_total\{bucket="thanos",operation="upload"\} 1/);
});

t.test('a Thanos FILESYSTEM bucket.yml works unchanged; --objstore.config too', async (t) => {
  const root = join(dir, 'fsbucket');
  const yml = `type: FILESYSTEM\nconfig:\n  directory: "${root}"\nprefix: ""\n`;
  const file = join(dir, 'fs.yml');
  writeFileSync(file, yml);
  const a = await bucketFromFlags({ 'objstore.config-file': file });
  await a.upload('x/y', enc.encode('z'));
  const b = await bucketFromFlags({ 'objstore.config': yml });
  t.equal(await b.exists('x/y'), true);
  t.equal(b.provider, 'FILESYSTEM');
  const lower = parseObjstoreYaml('type: filesystem\nconfig: {directory: /tmp/x}\n', 'test');
  t.equal(lower.type, 'FILESYSTEM', 'type is case-insensitive, as in Thanos');
  t.equal(parseObjstoreYaml('type: MEMORY\n', 'test').type, 'MEMORY');
  t.ok(objstoreFlags['objstore.config-file'] && objstoreFlags['objstore.config']);
});

t.test('bad configs fail with OBJSTORE_BAD_CONFIG naming the problem', async (t) => {
  const bad = (yml: string, re: RegExp, what: string): void => {
    t.throws(() => createBucket(parseObjstoreYaml(yml, 'cfg')), { code: 'OBJSTORE_BAD_CONFIG', message: re }, what);
  };
  bad('type: GCS\nconfig: {bucket: x}\n', /"GCS" is a Thanos provider athanor does not implement/, 'unsupported Thanos type');
  bad('type: FOO\n', /"FOO" is not a known provider/, 'unknown type');
  bad('type: S3\nconfig: {bucket: b, endpoint: e, acess_key: k}\n', /unknown field "acess_key"/, 'misspelt S3 field');
  bad('type: S3\nconfig: {bucket: b, endpoint: e, http_config: {idle_timeout: 1s}}\n', /http_config: unknown field "idle_timeout"/, 'nested unknown field');
  bad('type: FILESYSTEM\nconfig: {directory: /x, dir: /y}\n', /unknown field "dir"/, 'filesystem unknown field');
  bad('type: FILESYSTEM\nconfig: {}\n', /missing field "directory"/, 'filesystem without directory');
  bad('type: S3\nconfig: {bucket: b}\n', /no s3 endpoint/, 'missing endpoint');
  bad('type: S3\nconfig: {bucket: b, endpoint: e, signature_version2: true}\n', /signature_version2: true is not supported/, 'sigv2');
  bad('type: S3\nconfig: {bucket: b, endpoint: e, access_key: k}\n', /secret_key/, 'half a key pair');
  bad('type: S3\nconfig: {bucket: b, endpoint: e, bucket_lookup_type: dns}\n', /bucket_lookup_type/, 'bad lookup type');
  bad('type: S3\nconfig: {bucket: b, endpoint: e, list_objects_version: v3}\n', /list_objects_version/, 'bad list version');
  bad('type: S3\nconfig: {bucket: b, endpoint: e, http_config: {idle_conn_timeout: soon}}\n', /idle_conn_timeout.*duration/, 'bad duration');
  bad('type: S3\nconfig: {bucket: b, endpoint: e, sse_config: {type: SSE-C, encryption_key: /k}}\n', /SSE-C is not supported/, 'sse-c');
  bad('type: MEMORY\nconfig: {x: 1}\n', /unknown field "x"/, 'memory takes no fields');
  bad('typo: S3\n', /unknown field "typo"/, 'top-level unknown field');
  bad('type: [\n', /invalid YAML/, 'bad yaml');
  bad('type: S3\nconfig: {bucket: b, endpoint: e, secret_key: "$(ATHANOR_SURELY_UNSET_VAR)"}\n', /ATHANOR_SURELY_UNSET_VAR/, 'missing env var');
  await t.rejects(bucketFromFlags({}), { code: 'OBJSTORE_BAD_CONFIG', message: /no object store configured/ });
  await t.rejects(bucketFromFlags({ 'objstore.config': 'type: MEMORY', 'objstore.config-file': '/x' }), { code: 'OBJSTORE_BAD_CONFIG', message: /both/ });
  await t.rejects(bucketFromFlags({ 'objstore.config-file': join(dir, 'missing.yml') }), { code: 'OBJSTORE_BAD_CONFIG', message: /missing\.yml/ });
});

t.test('filesystem refuses names that escape its root', async (t) => {
  const root = join(dir, 'escape');
  const b = new FilesystemBucket({ directory: root });
  for (const n of ['../outside', 'a/../../outside', '/etc/passwd', 'a\0b', '.athanor-tmp/x']) {
    await t.rejects(b.upload(n, enc.encode('x')), { code: 'OBJSTORE_INVALID_NAME' }, n);
    await t.rejects(b.getRange(n, 0, 1), { code: 'OBJSTORE_INVALID_NAME' }, n);
    await t.rejects(b.delete(n), { code: 'OBJSTORE_INVALID_NAME' }, n);
  }
  const names: string[] = [];
  await b.upload('ok', enc.encode('x'));
  for await (const n of b.iter('', { recursive: true })) names.push(n);
  t.same(names, ['ok'], 'the temp directory is never listed');
});

t.test('durations and byte sizes parse like Thanos', async (t) => {
  t.equal(parseDurationMs('1m30s'), 90_000);
  t.equal(parseDurationMs('24h'), 86_400_000);
  t.equal(parseDurationMs('300ms'), 300);
  t.equal(parseDurationMs('2d'), 172_800_000);
  t.equal(parseDurationMs('0'), 0);
  t.equal(parseDurationMs('5'), undefined);
  t.equal(parseDurationMs('5x'), undefined);
  t.equal(parseBytes('250MB'), 250 * 2 ** 20);
  t.equal(parseBytes('1GiB'), 2 ** 30);
  t.equal(parseBytes('16000'), 16000);
  t.equal(parseBytes('10 zettabytes'), undefined);
});
