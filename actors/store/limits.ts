import { BytesLimitError, SamplesLimitError, SeriesLimitError } from './errors.js';

/** Thanos's MaxSamplesPerChunk: the sample estimate of a chunk whose count is not known. */
export const SAMPLES_PER_CHUNK_ESTIMATE = 120;

/**
 * Per-request limits (0 = unlimited): `--store.limits.request-series`, `--store.limits.request-samples`,
 * `--store.grpc.downloaded-bytes-limit` (bytes fetched from the bucket; index-cache hits are free).
 */
export interface RequestLimits {
  readonly series: number;
  readonly samples: number;
  readonly bytes?: number;
}

/**
 * Counts what one Series call touches and throws the typed error as soon as a limit is passed:
 * series are counted when postings are expanded (before any series or chunk is fetched), samples
 * when chunks are fetched (XOR chunks carry their sample count in the first two bytes; other
 * encodings count as 120, Thanos's estimate).
 */
export class RequestLimiter {
  private series = 0;
  private samples = 0;
  private bytes = 0;

  constructor(private readonly limits: RequestLimits) {}

  addSeries(n: number): void {
    this.series += n;
    if (this.limits.series > 0 && this.series > this.limits.series) {
      throw new SeriesLimitError(`fetching series: exceeded series limit: ${this.series} series touched, limit ${this.limits.series}`,
        { data: { limit: this.limits.series, got: this.series } });
    }
  }

  addSamples(n: number): void {
    this.samples += n;
    if (this.limits.samples > 0 && this.samples > this.limits.samples) {
      throw new SamplesLimitError(`fetching chunks: exceeded samples limit: ${this.samples} samples touched, limit ${this.limits.samples}`,
        { data: { limit: this.limits.samples, got: this.samples } });
    }
  }

  addBytes(n: number): void {
    this.bytes += n;
    const limit = this.limits.bytes ?? 0;
    if (limit > 0 && this.bytes > limit) {
      throw new BytesLimitError(`fetching from the bucket: exceeded bytes limit: ${this.bytes} bytes fetched, limit ${limit}`,
        { data: { limit, got: this.bytes } });
    }
  }

  get fetchedBytes(): number { return this.bytes; }
  get touchedSeries(): number { return this.series; }
  get touchedSamples(): number { return this.samples; }
}

/** Samples in a stored chunk: the big-endian u16 header of an XOR chunk, else the estimate. */
export function chunkSamples(encoding: number, data: Uint8Array): number {
  if (encoding === 1 && data.length >= 2) return (data[0]! << 8) | data[1]!;
  return SAMPLES_PER_CHUNK_ESTIMATE;
}
