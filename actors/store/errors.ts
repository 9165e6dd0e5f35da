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


/** A call fetched more bytes from the bucket than `--store.grpc.downloaded-bytes-limit` allows. `data: { limit, got }`. */
export const BytesLimitError = defineDomainError('STORE_BYTES_LIMIT', false, 'BytesLimitError');
export type BytesLimitError = InstanceType<typeof BytesLimitError>;
