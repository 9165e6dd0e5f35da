import t from 'tap';
import { MemoryStore } from '../../../../../actors/shared/storeapi/memory-store.js';
import { LocalBus, LocalTransport } from '../../../../../runtime/transport/local-transport.js';
import { describeStoreAPI } from '../contract/storeapi.contract.js';
import { startClient, startServer } from './nodes.js';

describeStoreAPI(t, 'MemoryStore via serveStoreAPI + StoreClient over LocalTransport', async (f) => {
  const bus = new LocalBus();
  const [st, ct] = [new LocalTransport({ bus }), new LocalTransport({ bus })];
  // Small batches so multi-frame streams and re-slicing are exercised even on this small fixture.
  const node = await startServer(st, { component: 'store', id: 'mem-1', impl: new MemoryStore({ ...f, componentType: 'store' }), batchBytes: 2048 });
  const client = startClient(ct, { responseTimeoutMs: 10_000 });
  const ref = await client.store('store/mem-1');
  return {
    store: ref.client,
    done: async () => { await client.stop(); await node.stop(); await ct.close(); await st.close(); },
  };
});
