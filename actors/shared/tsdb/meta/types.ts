/**
 * Block metadata as Prometheus 2.42 (`tsdb.BlockMeta`) and Thanos (`metadata.Meta`) keep it in
 * `meta.json`. Field names here are camelCase; `encodeMeta`/`parseMeta` map them to the JSON keys.
 * Optional fields mirror Go's `omitempty`: undefined, 0, false and empty lists are all "absent".
 */
export interface BlockMeta {
  /** Block ULID (26 Crockford base32 characters, upper case), equal to the directory name. */
  readonly ulid: string;
  /** Inclusive start, ms. */
  readonly minTime: number;
  /** Exclusive end, ms. */
  readonly maxTime: number;
  readonly stats: BlockStats;
  readonly compaction: BlockCompaction;
  /** Meta format version; only 1 exists. */
  readonly version: 1;
  /** Thanos's section; absent in blocks written by Prometheus alone. */
  readonly thanos?: ThanosMeta;
}

/** Counters (uint64 in Go, safe integers here). 2.42 writes the four classic ones; newer add the split. */
export interface BlockStats {
  readonly numSamples?: number;
  readonly numFloatSamples?: number;
  readonly numHistogramSamples?: number;
  readonly numSeries?: number;
  readonly numChunks?: number;
  readonly numTombstones?: number;
}

export interface BlockDesc {
  readonly ulid: string;
  readonly minTime: number;
  readonly maxTime: number;
}

export interface BlockCompaction {
  /** 1 for a block cut from the head; a compacted block has max(parent levels)+1. */
  readonly level: number;
  /** ULIDs of the level-1 blocks that went into this one. */
  readonly sources?: readonly string[];
  readonly deletable?: boolean;
  /** Direct inputs of the compaction that produced this block. */
  readonly parents?: readonly BlockDesc[];
  readonly failed?: boolean;
  /** e.g. `from-out-of-order`. */
  readonly hints?: readonly string[];
}

/** Known Thanos block sources; other strings are kept as they are. */
export type ThanosSource = 'sidecar' | 'receive' | 'compactor' | 'compactor.repair' | 'ruler'
  | 'bucket.repair' | 'bucket.rewrite' | 'bucket.upload' | 'test' | '' | (string & {});

export interface ThanosFile {
  /** Path relative to the block directory, e.g. `chunks/000001`. */
  readonly relPath: string;
  /** Omitted for meta.json itself. */
  readonly sizeBytes?: number;
  readonly hash?: { readonly hashFunc: string; readonly value: string };
}

export interface ThanosIndexStats {
  /** Largest series entry in the index, bytes. */
  readonly seriesMaxSize?: number;
  /** Largest chunk, bytes. */
  readonly chunkMaxSize?: number;
}

export interface ThanosMeta {
  /** Section version; absent or 0 means 1, only 1 is accepted. */
  readonly version?: number;
  /** External labels of the producer (plus tenant). */
  readonly labels: Readonly<Record<string, string>>;
  /** 0 raw, 300000 (5m) or 3600000 (1h). */
  readonly downsample: { readonly resolution: number };
  readonly source: ThanosSource;
  /** Deprecated: chunk segment file names relative to `chunks/`, sorted. */
  readonly segmentFiles?: readonly string[];
  /** Every file of the block, sorted by relPath. */
  readonly files?: readonly ThanosFile[];
  /** Opaque record of `tools bucket rewrite` operations, kept as read. */
  readonly rewrites?: readonly unknown[];
  readonly indexStats?: ThanosIndexStats;
  /** Opaque plugin data, kept as read. */
  readonly extensions?: unknown;
  /** RFC 3339 upload time as written by Go; absent means Go's zero time. */
  readonly uploadTime?: string;
}
