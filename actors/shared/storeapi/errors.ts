import { defineDomainError } from '../errors/domain-error.js';

/**
 * Errors of the StoreAPI. Codes are stable; `data.field` names the offending field (a path such as
 * `matchers[2].value`) for the decode-boundary errors.
 */

/** A StoreAPI request failed validation (bad type, out of range, over a limit, bad regex). */
export const StoreApiBadRequestError = defineDomainError('STOREAPI_BAD_REQUEST', false);

/** A StoreAPI response or stream frame failed validation (a store sent malformed data). */
export const StoreApiBadResponseError = defineDomainError('STOREAPI_BAD_RESPONSE', false);

/**
 * A fan-out call was aborted because a store failed or warned while the request's partial
 * response strategy was ABORT. `data.store` names the store when known.
 */
export const StoreApiAbortedError = defineDomainError('STOREAPI_ABORTED', false);
