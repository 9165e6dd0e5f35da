import t from 'tap';
import { inProcessStoreAPI } from '../../../../actors/shared/storeapi/in-process.js';
import { MemoryStore } from '../../../../actors/shared/storeapi/memory-store.js';
import { describeStoreAPI } from './storeapi.contract.js';

describeStoreAPI(t, 'MemoryStore', async (f) => ({ store: new MemoryStore({ ...f, componentType: 'store' }) }));
describeStoreAPI(t, 'in-process adapter over MemoryStore', async (f) => ({ store: inProcessStoreAPI(new MemoryStore(f)) }));
describeStoreAPI(t, 'in-process adapter with a codec hop', async (f) => ({ store: inProcessStoreAPI(new MemoryStore(f), { wire: true }) }));
