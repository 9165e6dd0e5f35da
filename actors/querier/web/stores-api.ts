import type { HttpServer } from '../../../runtime/http/server.js';
import { labelsToObject, type Labels } from '../../shared/labels/labels.js';
import type { InfoResponse } from '../../shared/storeapi/protocol.js';

/** One endpoint as `/api/v1/stores` shows it. */
export interface EndpointStatus {
  readonly name: string;
  readonly info: InfoResponse;
  /** When the endpoint was last heard from / checked, ms. */
  readonly lastCheckMs: number;
  readonly lastError?: unknown;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

/** Thanos's `/api/v1/stores` data: endpoints grouped by component type. */
export function storesData(list: readonly EndpointStatus[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const e of list) {
    const type = e.info.componentType;
    (out[type] ??= []).push({
      name: e.name,
      lastCheck: rfc3339(e.lastCheckMs),
      lastError: e.lastError === undefined ? null : (e.lastError instanceof Error ? e.lastError.message : String(e.lastError)),
      labelSets: e.info.labelSets.map((l: Labels) => labelsToObject(l)),
      minTime: e.info.store?.minTime ?? 0,
      maxTime: e.info.store?.maxTime ?? 0,
    });
  }
  return out;
}

/** Registers GET `/api/v1/stores`: `{"status":"success","data":{"<type>":[{name,lastCheck,lastError,labelSets,minTime,maxTime}]}}`. */
export function mountStoresApi(server: HttpServer, list: () => readonly EndpointStatus[]): void {
  server.route('GET', '/api/v1/stores', async () => ({
    status: 200, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'success', data: storesData(list()) }),
  }));
}
