import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { fileOrContentFlag, yamlConfigFlags, type FlagSpec, type FlagValues } from '../../../runtime/cli/command.js';
import type { Bucket } from './bucket.js';
import { ConfigReader } from './config-reader.js';
import { parseObjstoreYaml, type ObjstoreConfig } from './config.js';
import { ObjstoreConfigError } from './errors.js';
import { FilesystemBucket } from './filesystem.js';
import { MemoryBucket } from './memory.js';
import { BucketMetrics, InstrumentedBucket } from './metrics.js';
import { PrefixedBucket } from './prefixed.js';
import { RetryingBucket, type RetryOptions } from './retry.js';
import { parseS3Config } from './s3-config.js';
import { S3Bucket } from './s3.js';

export interface CreateBucketOptions {
  /** Where the athanor_objstore_bucket_* metrics go; without it the bucket is not instrumented. */
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** Retry policy; S3 `max_retries` (when > 0) sets the attempts. */
  readonly retry?: RetryOptions;
}

/** Builds the provider of a validated config, without wrappers. Throws ObjstoreConfigError. */
export function createProvider(cfg: ObjstoreConfig): Bucket {
  switch (cfg.type) {
    case 'FILESYSTEM': {
      const r = new ConfigReader('objstore config (FILESYSTEM)', cfg.config, ['directory']);
      const directory = r.string('directory');
      if (directory === '') throw r.error('missing field "directory" for the filesystem bucket');
      return new FilesystemBucket({ directory });
    }
    case 'MEMORY':
      new ConfigReader('objstore config (MEMORY)', cfg.config, []);
      return new MemoryBucket();
    case 'S3':
      return new S3Bucket(parseS3Config(cfg.config));
  }
}

/**
 * Builds a bucket from Thanos's objstore config: provider → `prefix` → retries → metrics (when a
 * registry is given). The same stack every component uses.
 */
export function createBucket(cfg: ObjstoreConfig, opts: CreateBucketOptions = {}): Bucket {
  const provider = createProvider(cfg);
  let b: Bucket = cfg.prefix.replace(/^\/+|\/+$/g, '') === '' ? provider : new PrefixedBucket(provider, cfg.prefix);
  const metrics = opts.registry === undefined ? undefined : new BucketMetrics(opts.registry);
  const maxRetries = cfg.type === 'S3' ? parseS3Config(cfg.config).maxRetries : 0;
  const label = provider.name;
  b = new RetryingBucket(b, {
    ...(maxRetries > 0 ? { maxAttempts: maxRetries } : {}),
    ...opts.retry,
    onRetry: (op, name, attempt, err) => {
      metrics?.retries.labels(label, op).inc();
      opts.logger?.debug({ op, name, attempt, err }, 'retrying bucket operation');
      opts.retry?.onRetry?.(op, name, attempt, err);
    },
  });
  if (metrics !== undefined && provider instanceof FilesystemBucket) metrics.watchOpenHandles(label, () => provider.openHandles);
  return metrics === undefined ? b : new InstrumentedBucket(b, metrics, label);
}

/** The objstore flags, named as Thanos's. */
export const objstoreFlags: Readonly<Record<string, FlagSpec>> = yamlConfigFlags('objstore.config', 'object store', '(Thanos format: type, config, prefix).');

/** Reads the objstore config named by the flags, or `fallback` when neither flag is set. */
export async function objstoreConfigFromFlags(values: FlagValues, fallback?: ObjstoreConfig): Promise<ObjstoreConfig> {
  const given = await fileOrContentFlag(values, 'objstore.config-file', 'objstore.config', 'objstore config', (m, o) => new ObjstoreConfigError(m, o));
  if (given !== undefined) return parseObjstoreYaml(given.text, given.source);
  if (fallback !== undefined) return fallback;
  throw new ObjstoreConfigError('no object store configured: set --objstore.config-file or --objstore.config');
}

/** `--objstore.config-file`/`--objstore.config` → a ready bucket (see createBucket). */
export async function bucketFromFlags(values: FlagValues, opts: CreateBucketOptions & { readonly fallback?: ObjstoreConfig } = {}): Promise<Bucket> {
  const cfg = await objstoreConfigFromFlags(values, opts.fallback);
  opts.logger?.info({ type: cfg.type, prefix: cfg.prefix }, 'loading bucket configuration');
  return createBucket(cfg, opts);
}
