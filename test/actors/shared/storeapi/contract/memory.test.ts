import t from 'tap';
import { serverAsClient } from '../../../../../actors/shared/storeapi/inprocess/server-as-client.js';
import { MemoryStore } from '../../../../../actors/shared/storeapi/memory-store.js';
import { describeStoreAPI } from './storeapi.contract.js';

describeStoreAPI(t, 'MemoryStore', async (f) => ({ store: new MemoryStore({ ...f, componentType: 'store' }) }));
describeStoreAPI(t, 'MemoryStore via serverAsClient', async (f) => ({ store: serverAsClient(new MemoryStore(f)) }));
describeStoreAPI(t, 'MemoryStore via serverAsClient without copies', async (f) => ({ store: serverAsClient(new MemoryStore(f), { copy: false }) }));
