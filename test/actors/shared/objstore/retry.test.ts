import t from 'tap';
import { Registry } from 'prom-client';
import { collect } from '../../../../actors/shared/objstore/body.js';
import { ObjstoreError } from '../../../../actors/shared/objstore/errors.js';
import { FaultyBucket } from '../../../../actors/shared/objstore/faulty.js';
import { MemoryBucket } from '../../../../actors/shared/objstore/memory.js';
import { BucketMetrics, InstrumentedBucket } from '../../../../actors/shared/objstore/metrics.js';
import { RetryingBucket, backoffMs } from '../../../../actors/shared/objstore/retry.js';
import { describeBucket } from './bucket.contract.js';

const noSleep = async (): Promise<void> => {};
const enc = new TextEncoder();

async function seeded(): Promise<MemoryBucket> {
  const m = new MemoryBucket();
  await m.upload('a/meta.json', enc.encode('{"x":1}'));
  await m.upload('a/chunks/000001', new Uint8Array(1000).fill(7));
  return m;
}

t.test('transient errors are retried until success', async (t) => {
  const faulty = new FaultyBucket(await seeded(), { errorRate: 1, maxFaults: 2 });
  const retries: number[] = [];
  const b = new RetryingBucket(faulty, { maxAttempts: 4, sleep: noSleep, onRetry: (_op, _n, attempt) => retries.push(attempt) });
  t.equal(Buffer.from(await b.getRange('a/chunks/000001', 0, 10)).toString('hex'), '07'.repeat(10));
  t.same(retries, [1, 2]);
  t.equal(faulty.injected.error, 2);
});

t.test('attempts are bounded', async (t) => {
  const faulty = new FaultyBucket(await seeded(), { errorRate: 1 });
  const b = new RetryingBucket(faulty, { maxAttempts: 3, sleep: noSleep });
  await t.rejects(b.exists('a/meta.json'), { code: 'OBJSTORE_OPERATION', retryable: true });
  t.equal(faulty.injected.error, 3, 'three attempts, no more');
});

t.test('not-found and non-retryable errors are not retried', async (t) => {
  let calls = 0;
  const faulty = new FaultyBucket(await seeded(), {
    errorRate: 1, makeError: (op, name) => { calls++; return new ObjstoreError(`${op} ${name}: 403`, { retryable: false }); },
  });
  const b = new RetryingBucket(faulty, { maxAttempts: 5, sleep: noSleep });
  await t.rejects(b.attributes('a/meta.json'), { code: 'OBJSTORE_OPERATION', retryable: false });
  t.equal(calls, 1);
  const counting = new FaultyBucket(await seeded(), {});
  const b2 = new RetryingBucket(counting, { maxAttempts: 5, sleep: noSleep, onRetry: () => t.fail('retried a 404') });
  await t.rejects(b2.get('nope'), { code: 'OBJSTORE_NOT_FOUND' });
  await t.rejects(b2.getRange('a/meta.json', 500, 1), { code: 'OBJSTORE_INVALID_RANGE' });
});

t.test('a hanging attempt times out and is retried; the caller signal stops everything', async (t) => {
  const faulty = new FaultyBucket(await seeded(), { hangRate: 1, maxFaults: 1 });
  const b = new RetryingBucket(faulty, { attemptTimeoutMs: 20, sleep: noSleep });
  t.equal(await b.exists('a/meta.json'), true);
  t.equal(faulty.injected.hang, 1);
  const hanging = new RetryingBucket(new FaultyBucket(await seeded(), { hangRate: 1 }), { sleep: noSleep });
  const ctl = new AbortController();
  const p = hanging.getRange('a/meta.json', 0, 1, { signal: ctl.signal });
  ctl.abort();
  await t.rejects(p, { code: 'RT_CANCELLED' });
});

t.test('truncated bodies: get_range retried, iter resumes after the last name', async (t) => {
  const m = await seeded();
  for (let i = 0; i < 5; i++) await m.upload(`b${i}/meta.json`, enc.encode('{}'));
  const faulty = new FaultyBucket(m, { truncateRate: 1, maxFaults: 2, operations: ['iter', 'get_range'] });
  const b = new RetryingBucket(faulty, { sleep: noSleep });
  const names: string[] = [];
  for await (const n of b.iter('')) names.push(n);
  t.same(names, ['a/', 'b0/', 'b1/', 'b2/', 'b3/', 'b4/'], 'each name once, in order');
  t.equal((await b.getRange('a/meta.json', 0, 3)).byteLength, 3);
  t.equal(faulty.injected.truncate, 2);
});

t.test('a truncated get stream fails loudly', async (t) => {
  const faulty = new FaultyBucket(await seeded(), { truncateRate: 1, operations: ['get'] });
  await t.rejects(collect(await faulty.get('a/chunks/000001')), { code: 'OBJSTORE_OPERATION', retryable: true });
});

t.test('stream uploads are not retried; byte uploads are', async (t) => {
  const { Readable } = await import('node:stream');
  const faulty = new FaultyBucket(new MemoryBucket(), { errorRate: 1, maxFaults: 1, operations: ['upload'] });
  const b = new RetryingBucket(faulty, { sleep: noSleep });
  await t.rejects(b.upload('s', Readable.from([enc.encode('x')])), { code: 'OBJSTORE_OPERATION', retryable: true });
  await b.upload('u', enc.encode('y'));
  t.equal(await b.exists('u'), true);
});

t.test('backoff is jittered, exponential and capped', async (t) => {
  t.equal(backoffMs(1, 100, 5000, () => 0.999), 99);
  t.equal(backoffMs(3, 100, 5000, () => 0.5), 200);
  t.equal(backoffMs(20, 100, 5000, () => 0.5), 2500);
  t.equal(backoffMs(4, 100, 5000, () => 0), 0);
});

t.test('metrics mirror Thanos names and count failures, retries stay inside', async (t) => {
  const reg = new Registry();
  const faulty = new FaultyBucket(await seeded(), { errorRate: 1, maxFaults: 1 });
  const b = new InstrumentedBucket(new RetryingBucket(faulty, { sleep: noSleep }), new BucketMetrics(reg), 'test-bucket');
  await b.getRange('a/chunks/000001', 0, 100);
  await t.rejects(b.get('missing'));
  await b.upload('new', enc.encode('12345'));
  const { Readable } = await import('node:stream');
  await b.upload('streamed', Readable.from([enc.encode('abc'), enc.encode('de')]));
  await t.rejects(b.getRange('a/chunks/000001', 5000, 1));
  await collect(await b.get('a/chunks/000001'));
  const text = await reg.metrics();
  t.match(text, /athanor_objstore_bucket_operations_total\{bucket="test-bucket",operation="get_range"\} 2/);
  t.match(text, /athanor_objstore_bucket_operations_total\{bucket="test-bucket",operation="get"\} 2/);
  t.match(text, /athanor_objstore_bucket_operation_failures_total\{bucket="test-bucket",operation="get"\} 0/, 'not-found is expected');
  t.match(text, /athanor_objstore_bucket_operation_failures_total\{bucket="test-bucket",operation="get_range"\} 1/);
  t.match(text, /athanor_objstore_bucket_operation_fetched_bytes_total\{bucket="test-bucket",operation="get_range"\} 100/);
  t.match(text, /athanor_objstore_bucket_operation_fetched_bytes_total\{bucket="test-bucket",operation="get"\} 1000/);
  t.match(text, /athanor_objstore_bucket_operation_fetched_bytes_total\{bucket="test-bucket",operation="upload"\} 10/);
  t.match(text, /athanor_objstore_bucket_last_successful_upload_time\{bucket="test-bucket"\} \d/);
  t.match(text, /athanor_objstore_bucket_operation_duration_seconds_count\{bucket="test-bucket",operation="get_range"\} 1/);
  t.notOk(/^thanos_/m.test(text));
  new BucketMetrics(reg);
  t.pass('a second bucket on the same registry reuses the metrics');
});

describeBucket(t, 'RETRYING+INSTRUMENTED over flaky MEMORY', async () => ({
  bucket: new InstrumentedBucket(
    new RetryingBucket(new FaultyBucket(new MemoryBucket(), { errorRate: 0.2, seed: 7 }), { sleep: noSleep, maxAttempts: 20 }),
    new BucketMetrics(new Registry())),
}), { many: 300 });
