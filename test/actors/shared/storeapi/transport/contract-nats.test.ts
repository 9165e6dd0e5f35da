import t from 'tap';
import { MemoryStore } from '../../../../../actors/shared/storeapi/memory-store.js';
import { NatsTransport } from '../../../../../runtime/transport/nats-transport.js';
import { startNats } from '../../../../harness/nats.js';
import { describeStoreAPI } from '../contract/storeapi.contract.js';
import { startClient, startServer } from './nodes.js';

describeStoreAPI(t, 'MemoryStore via serveStoreAPI + StoreClient over a real nats-server', async (f) => {
  const nats = await startNats();
  t.teardown(() => nats.stop()); // also when setting up fails
  const st = await NatsTransport.connect({ servers: [nats.url], name: 'storeapi-server' });
  const ct = await NatsTransport.connect({ servers: [nats.url], name: 'storeapi-client' });
  const node = await startServer(st, { component: 'store', id: 'mem-1', impl: new MemoryStore({ ...f, componentType: 'store' }), batchBytes: 2048 });
  const client = startClient(ct, { responseTimeoutMs: 10_000 });
  const ref = await client.store('store/mem-1');
  return {
    store: ref.client,
    done: async () => { await client.stop(); await node.stop(); await ct.drain(); await st.drain(); await nats.stop(); },
  };
});
