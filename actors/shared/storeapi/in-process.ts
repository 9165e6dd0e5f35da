import { serverAsClient } from './inprocess/server-as-client.js';
import type { StoreAPI } from './storeapi.js';

export interface InProcessOptions {
  /** Pass every request and response through the runtime codec, as a network hop would. Default false. */
  readonly wire?: boolean;
}

/**
 * The in-process client view of a local StoreAPI implementation: `serverAsClient` with copies off
 * unless `wire` is set. Kept for callers written against this name.
 */
export function inProcessStoreAPI(server: StoreAPI, opts: InProcessOptions = {}): StoreAPI {
  return serverAsClient(server, { copy: opts.wire === true });
}
