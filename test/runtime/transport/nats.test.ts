import t from 'tap';
import { startNats } from '../../harness/nats.js';
import { NatsTransport } from '../../../runtime/transport/nats-transport.js';
import { describeTransport } from './transport.contract.js';

const srv = await startNats();
t.teardown(() => srv.stop());
describeTransport(t, 'nats', () => NatsTransport.connect({ servers: [srv.url], name: 'contract' }));
