import { defineDomainError } from '../shared/errors/domain-error.js';

/**
 * A Series call would touch more series than `--store.limits.request-series` allows (Thanos's
 * "exceeded series limit", gRPC ResourceExhausted). `data: { limit, got }`. Not retryable: narrow
 * the query.
 */
export const SeriesLimitError = defineDomainError('STORE_SERIES_LIMIT', false, 'SeriesLimitError');
export type SeriesLimitError = InstanceType<typeof SeriesLimitError>;

/** A Series call would return more samples than `--store.limits.request-samples` allows. `data: { limit, got }`. */
export const SamplesLimitError = defineDomainError('STORE_SAMPLES_LIMIT', false, 'SamplesLimitError');
export type SamplesLimitError = InstanceType<typeof SamplesLimitError>;

/** A store flag or config value is invalid (`data.flag`). */
export const StoreConfigError = defineDomainError('STORE_BAD_CONFIG', false, 'StoreConfigError');
export type StoreConfigError = InstanceType<typeof StoreConfigError>;

/** A block could not be loaded or read (wraps the cause; `data.block`). The block is skipped. */
export const BlockLoadError = defineDomainError('STORE_BLOCK_LOAD', false, 'BlockLoadError');
export type BlockLoadError = InstanceType<typeof BlockLoadError>;
