import { defineDomainError } from '../../errors/domain-error.js';

/**
 * A StoreAPI server refused a Series stream because it already serves its maximum number of
 * concurrent streams (`data.limit`, `data.inFlight`). Retryable: try again later or another replica.
 */
export const StoreApiOverloadedError = defineDomainError('STOREAPI_OVERLOADED', true);
