import t from 'tap';
import { LocalBus, LocalTransport } from '../../../runtime/transport/local-transport.js';
import { describeDiscovery } from './discovery.contract.js';

const bus = new LocalBus();
describeDiscovery(t, 'local', async () => new LocalTransport({ bus }));
