import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import t from 'tap';
import { collect } from '../../../../actors/shared/objstore/body.js';
import { parseS3Config } from '../../../../actors/shared/objstore/s3-config.js';
import { S3Bucket, makeS3Client } from '../../../../actors/shared/objstore/s3.js';
import { startS3rver } from '../../../harness/s3rver.js';
import { describeBucket } from './bucket.contract.js';

const srv = await startS3rver(['athanor']);
t.teardown(() => srv.stop());
const admin = makeS3Client(parseS3Config(srv.config()));
t.teardown(() => admin.destroy());

let n = 0;
async function freshBucket(extra: Record<string, unknown> = {}, listPageSize?: number): Promise<S3Bucket> {
  const name = `contract-${++n}`;
  await admin.send(new CreateBucketCommand({ Bucket: name }));
  return new S3Bucket(parseS3Config({ ...srv.config(name), ...extra }), undefined, { listPageSize });
}

describeBucket(t, 'S3 (s3rver, list v2)', async () => ({ bucket: await freshBucket() }));
describeBucket(t, 'S3 (s3rver, list v2, pages of 7)', async () => ({ bucket: await freshBucket({}, 7) }), { many: 40 });

t.test('S3 - list_objects_version v1 paginates too (pages of 100)', async (tt) => {
  const b = await freshBucket({ list_objects_version: 'v1' }, 100);
  t.teardown(() => b.close());
  const want = Array.from({ length: 250 }, (_, i) => `v1/${String(i).padStart(4, '0')}`);
  for (let i = 0; i < want.length; i += 32) await Promise.all(want.slice(i, i + 32).map((k) => b.upload(k, Buffer.from(k))));
  const got: string[] = [];
  for await (const k of b.iter('v1')) got.push(k);
  tt.same(got, want);
  const recursive: string[] = [];
  for await (const k of b.iter('', { recursive: true })) recursive.push(k);
  tt.same(recursive, want);
});

t.test('S3 - multipart upload above part_size round-trips, ranges across parts are exact', async (tt) => {
  const b = await freshBucket({ part_size: 5 * 1024 * 1024 });
  t.teardown(() => b.close());
  const size = 6 * 1024 * 1024 + 123;
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 7 + (i >> 11)) & 0xff;
  await b.upload('mp/bytes', data);
  await b.upload('mp/stream', Readable.from([data.subarray(0, 3_000_000), data.subarray(3_000_000)]));
  for (const name of ['mp/bytes', 'mp/stream']) {
    tt.equal((await b.attributes(name)).size, size, `${name} size`);
    tt.ok(Buffer.from(await collect(await b.get(name))).equals(data), `${name} content`);
    const at = 5 * 1024 * 1024 - 10;
    tt.ok(Buffer.from(await b.getRange(name, at, 20)).equals(data.subarray(at, at + 20)), `${name} range across the part boundary`);
  }
});

t.test('S3 - errors from a missing bucket are not retryable and name the operation', async (tt) => {
  const b = new S3Bucket(parseS3Config(srv.config('no-such-bucket')));
  t.teardown(() => b.close());
  await tt.rejects(b.upload('x', Buffer.from('x')), { code: 'OBJSTORE_OPERATION', retryable: false, message: /^upload "x": / });
});

t.test('S3 - an unreachable endpoint is a retryable failure', async (tt) => {
  const b = new S3Bucket(parseS3Config({ ...srv.config(), endpoint: '127.0.0.1:1' }));
  t.teardown(() => b.close());
  await tt.rejects(b.exists('x'), { code: 'OBJSTORE_OPERATION', retryable: true });
});

t.test('S3 - credentials come from the standard AWS chain when the config has none', async (tt) => {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  tt.teardown(() => {
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID; else process.env.AWS_ACCESS_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY; else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  });
  const { access_key: _a, secret_key: _s, ...noKeys } = srv.config();
  const b = new S3Bucket(parseS3Config({ ...noKeys, aws_sdk_auth: true }));
  tt.teardown(() => b.close());
  await b.upload('chain/x', Buffer.from('ok'));
  tt.equal(Buffer.from(await b.getRange('chain/x', 0, 2)).toString(), 'ok');
});

t.test('S3 - bucket_lookup_type picks path or virtual-hosted addressing', async (tt) => {
  const style = async (extra: Record<string, unknown>): Promise<boolean | undefined> => {
    const c = makeS3Client(parseS3Config({ bucket: 'b', ...extra }));
    const v = c.config.forcePathStyle;
    c.destroy();
    return typeof v === 'function' ? await (v as () => Promise<boolean>)() : v;
  };
  tt.equal(await style({ endpoint: 'minio:9000', insecure: true }), true, 'auto → path for a non-AWS host');
  tt.equal(await style({ endpoint: 's3.eu-west-1.amazonaws.com' }), false, 'auto → virtual-hosted on AWS');
  tt.equal(await style({ endpoint: 's3.eu-west-1.amazonaws.com', bucket_lookup_type: 'path' }), true);
  tt.equal(await style({ endpoint: 'minio:9000', bucket_lookup_type: 'virtual-hosted' }), false);
});
