import { fileOrContentFlag, yamlConfigFlags, type FlagSpec, type FlagValues } from '../../../runtime/cli/command.js';
import { cacheBackendFrom, type CacheBackendConfig } from '../cache/backend-config.js';
import { cacheConfigError } from '../cache/errors.js';
import { ConfigReader } from './config-reader.js';
import { decodeConfigYaml } from './config.js';

/** Thanos's caching-bucket config (`--store.caching-bucket.config`), validated; times in ms. */
export interface CachingBucketConfig {
  /** Where cached items live: an in-process LRU, memcached or redis. */
  readonly backend: CacheBackendConfig;
  readonly chunkSubrangeSize: number;
  /** At most this many backend GETs per getRange (≤ 0 = unlimited). */
  readonly maxChunksGetRangeRequests: number;
  readonly metafileMaxSize: number;
  readonly chunkObjectAttrsTtlMs: number;
  readonly chunkSubrangeTtlMs: number;
  readonly blocksIterTtlMs: number;
  readonly metafileExistsTtlMs: number;
  readonly metafileDoesntExistTtlMs: number;
  readonly metafileContentTtlMs: number;
}

const H = 3_600_000;
/** Thanos's in-memory caching-bucket sizes. */
const DEFAULT_IN_MEMORY_BACKEND = { type: 'IN-MEMORY', maxSizeBytes: 250 * 2 ** 20, maxItemSizeBytes: 125 * 2 ** 20 } as const;
/** Thanos's defaults. */
export const DEFAULT_CACHING_BUCKET_CONFIG: CachingBucketConfig = {
  backend: DEFAULT_IN_MEMORY_BACKEND,
  chunkSubrangeSize: 16000, maxChunksGetRangeRequests: 3, metafileMaxSize: 2 ** 20,
  chunkObjectAttrsTtlMs: 24 * H, chunkSubrangeTtlMs: 24 * H, blocksIterTtlMs: 5 * 60_000,
  metafileExistsTtlMs: 2 * H, metafileDoesntExistTtlMs: 15 * 60_000, metafileContentTtlMs: 24 * H,
};

const FIELDS = [
  'type', 'config', 'chunk_subrange_size', 'max_chunks_get_range_requests', 'metafile_max_size', 'chunk_object_attrs_ttl',
  'chunk_subrange_ttl', 'blocks_iter_ttl', 'metafile_exists_ttl', 'metafile_doesnt_exist_ttl', 'metafile_content_ttl',
] as const;

/** Validates a decoded caching-bucket config document; unknown fields and backends are refused (CacheConfigError). */
export function cachingBucketConfigFrom(doc: unknown, source: string): CachingBucketConfig {
  const d = DEFAULT_CACHING_BUCKET_CONFIG;
  const r = new ConfigReader(source, doc, FIELDS, cacheConfigError);
  const cfg: CachingBucketConfig = {
    backend: cacheBackendFrom(r, DEFAULT_IN_MEMORY_BACKEND),
    chunkSubrangeSize: r.int('chunk_subrange_size', d.chunkSubrangeSize),
    maxChunksGetRangeRequests: r.int('max_chunks_get_range_requests', d.maxChunksGetRangeRequests),
    metafileMaxSize: r.bytes('metafile_max_size', d.metafileMaxSize),
    chunkObjectAttrsTtlMs: r.durationMs('chunk_object_attrs_ttl', d.chunkObjectAttrsTtlMs),
    chunkSubrangeTtlMs: r.durationMs('chunk_subrange_ttl', d.chunkSubrangeTtlMs),
    blocksIterTtlMs: r.durationMs('blocks_iter_ttl', d.blocksIterTtlMs),
    metafileExistsTtlMs: r.durationMs('metafile_exists_ttl', d.metafileExistsTtlMs),
    metafileDoesntExistTtlMs: r.durationMs('metafile_doesnt_exist_ttl', d.metafileDoesntExistTtlMs),
    metafileContentTtlMs: r.durationMs('metafile_content_ttl', d.metafileContentTtlMs),
  };
  if (cfg.chunkSubrangeSize <= 0) throw r.bad('chunk_subrange_size', 'a positive integer', cfg.chunkSubrangeSize);
  return cfg;
}

/** Parses caching-bucket YAML text; `source` names it in errors. */
export function parseCachingBucketYaml(text: string, source: string): CachingBucketConfig {
  return cachingBucketConfigFrom(decodeConfigYaml(text, source, cacheConfigError), source);
}

/** The store's caching-bucket flags, named as Thanos's. */
export const cachingBucketFlags: Readonly<Record<string, FlagSpec>> = yamlConfigFlags('store.caching-bucket.config', 'caching bucket',
  '(Thanos format; type IN-MEMORY, MEMCACHED or REDIS).');

/** The caching-bucket config named by the flags, or undefined when neither is set (no caching). */
export async function cachingBucketConfigFromFlags(values: FlagValues): Promise<CachingBucketConfig | undefined> {
  const given = await fileOrContentFlag(values, 'store.caching-bucket.config-file', 'store.caching-bucket.config', 'caching bucket config',
    cacheConfigError);
  return given === undefined ? undefined : parseCachingBucketYaml(given.text, given.source);
}
