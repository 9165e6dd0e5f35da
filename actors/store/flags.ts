import { fileOrContentFlag, stringFlag, type FlagSpec, type FlagValues } from '../../runtime/cli/command.js';
import { ConfigError } from '../../runtime/errors/runtime-errors.js';
import { MAX_TIME_DEFAULT, MIN_TIME_DEFAULT, parseTimeFlag, type TimeFlag } from '../shared/block/time-flag.js';
import { parseRelabelConfigs, type RelabelConfig } from '../shared/labels/relabel.js';
import { cachingBucketFlags } from '../shared/objstore/caching-config.js';
import { indexCacheFlags } from './index-cache-config.js';
import { parseBytes, parseDurationMs } from '../shared/objstore/config-reader.js';
import { objstoreFlags } from '../shared/objstore/factory.js';

/** `athanor store` flags (besides the process flags), named and defaulted as Thanos's `thanos store`. */
export const storeFlags: Readonly<Record<string, FlagSpec>> = {
  ...objstoreFlags,
  ...cachingBucketFlags,
  ...indexCacheFlags,
  'data-dir': { type: 'string', default: './data', placeholder: '<dir>', description: 'Local directory for cached data: meta.json copies and per-block index-header files.' },
  'min-time': { type: 'string', default: MIN_TIME_DEFAULT, placeholder: '<time>', description: 'Serve only blocks with data at or after this time: RFC3339 or a duration relative to now (-6w, 0s).' },
  'max-time': { type: 'string', default: MAX_TIME_DEFAULT, placeholder: '<time>', description: 'Serve only blocks with data at or before this time: RFC3339 or a duration relative to now.' },
  'selector.relabel-config': { type: 'string', placeholder: '<yaml>', description: 'Relabel config (YAML list) over {external labels, __block_id} selecting the blocks to serve (keep/drop/hashmod).' },
  'selector.relabel-config-file': { type: 'string', placeholder: '<file-path>', description: 'File with the relabel config selecting the blocks to serve.' },
  'sync-block-duration': { type: 'string', default: '15m', placeholder: '<duration>', description: 'Interval between bucket syncs.' },
  'consistency-delay': { type: 'string', default: '0s', placeholder: '<duration>', description: 'Ignore blocks younger than this (by upload time), except compactor outputs.' },
  'ignore-deletion-marks-delay': { type: 'string', default: '24h', placeholder: '<duration>', description: 'Stop serving blocks whose deletion mark is older than this.' },
  'index-cache-size': { type: 'string', default: '250MB', placeholder: '<bytes>', description: 'Maximum size of the in-memory index cache (postings, series); 0 disables it. Ignored when --index-cache.config(-file) is set.' },
  'store.limits.request-series': { type: 'string', default: '0', placeholder: '<n>', description: 'Maximum series one Series call may touch (0 = no limit).' },
  'store.limits.request-samples': { type: 'string', default: '0', placeholder: '<n>', description: 'Maximum samples one Series call may return (0 = no limit).' },
  'store.grpc.downloaded-bytes-limit': { type: 'string', default: '0', placeholder: '<bytes>', description: 'Maximum bytes one Series/LabelNames/LabelValues call may fetch from the bucket (0 = no limit).' },
  'store.enable-index-header-lazy-reader': { type: 'boolean', default: false, description: 'Open a block\'s index-header on first use and drop it from memory when idle.' },
  'store.index-header-lazy-reader-idle-timeout': { type: 'string', default: '5m', placeholder: '<duration>', description: 'With the lazy reader: drop an index-header unused for this long (0 = never).' },
  'store.index-header-posting-offsets-in-mem-sampling': { type: 'string', default: '32', placeholder: '<n>', description: 'Keep every Nth postings offset table entry of a block\'s index-header in memory (1 = all); the rest is read from the local index-header file on demand.' },
  'block-sync-concurrency': { type: 'string', default: '20', placeholder: '<n>', description: 'Blocks loaded in parallel during a sync.' },
  'store.grpc.series-max-concurrency': { type: 'string', default: '20', placeholder: '<n>', description: 'Concurrent Series streams served; more are refused (retryable).' },
};

/** The store's settings from its flags (the objstore and caching-bucket flags are read by their own helpers). */
export interface StoreSettings {
  readonly dataDir: string;
  readonly minTime: TimeFlag;
  readonly maxTime: TimeFlag;
  readonly relabel: readonly RelabelConfig[];
  readonly syncIntervalMs: number;
  readonly consistencyDelayMs: number;
  readonly ignoreDeletionMarksDelayMs: number;
  readonly indexCacheBytes: number;
  readonly limits: { readonly series: number; readonly samples: number; readonly bytes: number };
  readonly blockSyncConcurrency: number;
  readonly lazyIndexHeader: boolean;
  readonly lazyIdleTimeoutMs: number;
  /** `--store.index-header-posting-offsets-in-mem-sampling` (≥ 1). */
  readonly postingOffsetsInMemSampling: number;
  readonly seriesMaxConcurrency: number;
}

/** Parses and checks the store flags; a bad value is a ConfigError naming the flag. */
export async function storeSettingsFromFlags(v: FlagValues): Promise<StoreSettings> {
  const str = (name: string): string => stringFlag(v, name) ?? String(storeFlags[name]!.default ?? '');
  const duration = (name: string): number => {
    const ms = parseDurationMs(str(name));
    if (ms === undefined) throw new ConfigError(`flag --${name}: invalid duration ${JSON.stringify(str(name))}`, { data: { flag: name } });
    return ms;
  };
  const count = (name: string, min: number): number => {
    const s = str(name);
    const n = Number(s);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n < min) throw new ConfigError(`flag --${name}: want an integer ≥ ${min}, got ${JSON.stringify(s)}`, { data: { flag: name } });
    return n;
  };
  const size = (name: string): number => {
    const n = parseBytes(str(name));
    if (n === undefined) throw new ConfigError(`flag --${name}: invalid size ${JSON.stringify(str(name))}`, { data: { flag: name } });
    return n;
  };
  const interval = duration('sync-block-duration');
  if (interval <= 0) throw new ConfigError('flag --sync-block-duration: must be positive', { data: { flag: 'sync-block-duration' } });
  const minTime = parseTimeFlag(str('min-time'), 'min-time');
  const maxTime = parseTimeFlag(str('max-time'), 'max-time');
  return {
    dataDir: str('data-dir'), minTime, maxTime, relabel: await relabelFromFlags(v),
    syncIntervalMs: interval, consistencyDelayMs: duration('consistency-delay'),
    ignoreDeletionMarksDelayMs: duration('ignore-deletion-marks-delay'), indexCacheBytes: size('index-cache-size'),
    limits: { series: count('store.limits.request-series', 0), samples: count('store.limits.request-samples', 0), bytes: size('store.grpc.downloaded-bytes-limit') },
    lazyIndexHeader: v['store.enable-index-header-lazy-reader'] === true, lazyIdleTimeoutMs: duration('store.index-header-lazy-reader-idle-timeout'),
    postingOffsetsInMemSampling: count('store.index-header-posting-offsets-in-mem-sampling', 1),
    blockSyncConcurrency: count('block-sync-concurrency', 1), seriesMaxConcurrency: count('store.grpc.series-max-concurrency', 1),
  };
}

async function relabelFromFlags(v: FlagValues): Promise<RelabelConfig[]> {
  const given = await fileOrContentFlag(v, 'selector.relabel-config-file', 'selector.relabel-config', 'relabel config');
  return given === undefined ? [] : parseRelabelConfigs(given.text, given.source);
}
