import type { Subjects } from '../../runtime/transport/subject.js';
import type { Transport } from '../../runtime/transport/transport.js';
import type { InfoResponse } from '../shared/storeapi/protocol.js';
import { StoreClient } from '../shared/storeapi/client/store-client.js';
import { storeSubjects } from '../shared/storeapi/server/wire.js';
import { clientSeriesBackstopMs } from './fanout.js';
import type { StoreEndpoint } from './store-queryable.js';
import type { EndpointStatus } from './web/stores-api.js';

interface Entry { name: string; client: StoreClient; info?: InfoResponse; lastCheckMs: number; lastError?: unknown }

/**
 * Static `--endpoint` targets (`<component>/<id>` on this NATS prefix), besides discovery. Each
 * `refresh()` calls Info on every target concurrently; a target is queried only once an Info call
 * succeeded (and keeps its last good Info while later checks fail; `lastError` shows the failure).
 */
export class StaticEndpoints {
  private readonly entries: Entry[];

  constructor(transport: Transport, subjects: Subjects, addresses: readonly string[], responseTimeoutMs?: number) {
    this.entries = addresses.map((a) => {
      const [component, id] = a.split('/') as [string, string];
      return {
        name: a, lastCheckMs: 0,
        client: new StoreClient({
          transport, subjects: storeSubjects(subjects, component, id), ...(responseTimeoutMs ? { responseTimeoutMs } : {}),
          seriesTimeoutMs: clientSeriesBackstopMs(responseTimeoutMs ?? 0),
        }),
      };
    });
  }

  async refresh(signal?: AbortSignal): Promise<void> {
    await Promise.all(this.entries.map(async (e) => {
      try {
        e.info = await e.client.info(signal);
        delete e.lastError;
      } catch (err) {
        e.lastError = err;
      }
      e.lastCheckMs = Date.now();
    }));
  }

  /** Targets with a known Info, as fan-out endpoints. */
  stores(): StoreEndpoint[] {
    return this.entries.filter((e) => e.info !== undefined).map((e) => ({ name: e.name, info: e.info!, client: e.client }));
  }

  /** Every target's status for `/api/v1/stores` (those never reached show as type `store` with no label sets). */
  status(): EndpointStatus[] {
    return this.entries.map((e) => ({
      name: e.name, lastCheckMs: e.lastCheckMs, ...(e.lastError === undefined ? {} : { lastError: e.lastError }),
      info: e.info ?? { kind: 'storeapi.info', labelSets: [], componentType: 'store' },
    }));
  }
}
