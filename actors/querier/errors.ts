import { defineDomainError } from '../shared/errors/domain-error.js';

/**
 * A Series request reached a querier it had already passed through (query-of-queriers loop).
 * `data.querier` names the querier, `data.hops` the queriers the request went through. Not retryable.
 */
export const QuerierLoopError = defineDomainError('QUERIER_LOOP', false, 'QuerierLoopError');

/** No StoreAPI is known at all and the partial response strategy is ABORT. Retryable (stores may appear). */
export const QuerierNoStoresError = defineDomainError('QUERIER_NO_STORES', true, 'QuerierNoStoresError');

/** A store sent nothing for `--store.response-timeout` (`data.store`, `data.timeoutMs`). Retryable. */
export const QuerierStoreTimeoutError = defineDomainError('QUERIER_STORE_TIMEOUT', true, 'QuerierStoreTimeoutError');
