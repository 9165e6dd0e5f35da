import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** A running s3rver on a free loopback port with a private temp directory. */
export interface S3rverHandle {
  /** `127.0.0.1:<port>` — the Thanos-style endpoint (no scheme; use `insecure: true`). */
  readonly endpoint: string;
  readonly port: number;
  /** Buckets created at start. */
  readonly buckets: readonly string[];
  /** Thanos S3 `config:` for `bucket` on this server (path-style, static keys, insecure). */
  config(bucket?: string): Record<string, unknown>;
  stop(): Promise<void>;
}

/**
 * Starts s3rver 3.7.1 (access key/secret `S3RVER`). The hosting process must run with
 * `--openssl-legacy-provider` for truncated listings (more than 1000 keys) to work; tap passes it.
 */
export async function startS3rver(buckets: readonly string[] = ['athanor']): Promise<S3rverHandle> {
  const dir = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1', port: 0, silent: true, directory: dir,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = (await server.run()) as unknown as { port: number };
  const endpoint = `127.0.0.1:${port}`;
  return {
    endpoint, port, buckets,
    config: (bucket = buckets[0] ?? 'athanor') => ({
      bucket, endpoint, region: 'us-east-1', access_key: 'S3RVER', secret_key: 'S3RVER', insecure: true, bucket_lookup_type: 'path',
    }),
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
