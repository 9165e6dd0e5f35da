import t from 'tap';
import { LocalBus, LocalTransport } from '../../../runtime/transport/local-transport.js';
import { describeTransport } from './transport.contract.js';

const bus = new LocalBus();
describeTransport(t, 'local', async () => new LocalTransport({ bus }));
