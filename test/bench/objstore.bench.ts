// Ranged reads of chunk data through the caching bucket over s3rver: a cold pass (empty cache),
// a warm pass (the same reads again) and, as the peer, the same reads straight from S3 without cache.
import { Registry } from 'prom-client';
import { CachingBucket } from '../../actors/shared/objstore/caching-bucket.js';
import { DEFAULT_CACHING_BUCKET_CONFIG } from '../../actors/shared/objstore/caching-config.js';
import { createBucket } from '../../actors/shared/objstore/factory.js';
import { seededRandom } from '../../actors/shared/objstore/faulty.js';
import type { Bucket } from '../../actors/shared/objstore/bucket.js';
import { startS3rver } from '../harness/s3rver.js';

const FILES = 4;
const FILE_SIZE = 2 * 1024 * 1024;
const READS = 1500;
const CONCURRENCY = 8;

async function backendStats(reg: Registry): Promise<{ gets: number; bytes: number }> {
  const ops = await reg.getSingleMetric('athanor_objstore_bucket_operations_total')?.get();
  const bytes = await reg.getSingleMetric('athanor_objstore_bucket_operation_fetched_bytes_total')?.get();
  const pick = (m: typeof ops, op: string): number => m?.values.find((v) => v.labels.operation === op)?.value ?? 0;
  return { gets: pick(ops, 'get_range'), bytes: pick(bytes, 'get_range') };
}

async function pass(b: Bucket, reads: readonly [string, number, number][]): Promise<{ ms: number; bytes: number }> {
  let next = 0;
  let bytes = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < reads.length) {
      const [name, off, len] = reads[next++]!;
      const got = await b.getRange(name, off, len);
      bytes += got.byteLength;
    }
  }));
  return { ms: performance.now() - t0, bytes };
}

const srv = await startS3rver(['bench']);
try {
  const seed = createBucket({ type: 'S3', config: srv.config('bench'), prefix: '' });
  const rand = seededRandom(42);
  const names: string[] = [];
  for (let f = 0; f < FILES; f++) {
    const data = new Uint8Array(FILE_SIZE);
    for (let i = 0; i < FILE_SIZE; i++) data[i] = (rand() * 256) | 0;
    const name = `01JBENCH${String(f).padStart(18, '0')}/chunks/000001`;
    await seed.upload(name, data);
    names.push(name);
  }
  await seed.close();
  // Chunk-sized reads (100 B – 2 KiB) at random offsets, as a store gateway issues them.
  const reads: [string, number, number][] = Array.from({ length: READS }, () => {
    const len = 100 + Math.floor(rand() * 1948);
    return [names[Math.floor(rand() * FILES)]!, Math.floor(rand() * (FILE_SIZE - len)), len];
  });

  const directReg = new Registry();
  const direct = createBucket({ type: 'S3', config: srv.config('bench'), prefix: '' }, { registry: directReg });
  await pass(direct, reads.slice(0, 50)); // connection warm-up
  const d0 = await backendStats(directReg);
  const dr = await pass(direct, reads);
  const d1 = await backendStats(directReg);
  await direct.close();

  const reg = new Registry();
  const cached = new CachingBucket(createBucket({ type: 'S3', config: srv.config('bench'), prefix: '' }, { registry: reg }), DEFAULT_CACHING_BUCKET_CONFIG, { registry: new Registry() });
  await cached.exists('warm-up/meta.json');
  const c0 = await backendStats(reg);
  const cold = await pass(cached, reads);
  const c1 = await backendStats(reg);
  const warm = await pass(cached, reads);
  const c2 = await backendStats(reg);
  await cached.close();

  const row = (what: string, r: { ms: number; bytes: number }, gets: number, fetched: number): string =>
    `| ${what} | ${READS} | ${(r.bytes / 1024).toFixed(0)} KiB | ${r.ms.toFixed(0)} | ${Math.round(READS / (r.ms / 1000))} | ${gets} | ${(fetched / 1024).toFixed(0)} KiB |`;
  const out = [
    '## Object storage: chunk ranges through the caching bucket (s3rver)',
    '',
    `${READS} chunk-sized ranged reads (100 B–2 KiB, seeded random offsets) over ${FILES} × ${FILE_SIZE / 2 ** 20} MiB chunk files on s3rver,`,
    `${CONCURRENCY} in flight, through the real AWS SDK. The caching bucket reads aligned 16000-byte subranges (Thanos defaults);`,
    'the peer is the same reads sent straight to S3.',
    '',
    '| pass | reads | bytes returned | ms | reads/s | backend GETs | bytes fetched from backend |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('direct S3, no cache (peer)', dr, d1.gets - d0.gets, d1.bytes - d0.bytes),
    row('caching bucket, cold', cold, c1.gets - c0.gets, c1.bytes - c0.bytes),
    row('caching bucket, warm', warm, c2.gets - c1.gets, c2.bytes - c1.bytes),
    '',
    `Warm vs cold: **${(cold.ms / warm.ms).toFixed(1)}×** faster; warm vs direct S3: **${(dr.ms / warm.ms).toFixed(1)}×**; ` +
      `cold vs direct S3: ${(dr.ms / cold.ms).toFixed(2)}× (cold fetches whole subranges, ${((c1.bytes - c0.bytes) / Math.max(1, d1.bytes - d0.bytes)).toFixed(1)}× the peer's bytes).`,
  ];
  process.stdout.write(out.join('\n') + '\n');
} finally {
  await srv.stop();
}
