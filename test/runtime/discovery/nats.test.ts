import t from 'tap';
import { connect } from 'nats';
import { startNats } from '../../harness/nats.js';
import { NatsTransport } from '../../../runtime/transport/nats-transport.js';
import { Subjects } from '../../../runtime/transport/subject.js';
import { registerMicroService } from '../../../runtime/discovery/micro-service.js';
import { describeDiscovery } from './discovery.contract.js';

const srv = await startNats();
t.teardown(() => srv.stop());
describeDiscovery(t, 'nats', () => NatsTransport.connect({ servers: [srv.url], name: 'discovery' }));

t.test('nats: actors answer $SRV.PING, $SRV.INFO and $SRV.STATS as micro-services', async (t) => {
  const tr = await NatsTransport.connect({ servers: [srv.url], name: 'svc' });
  const subjects = new Subjects('athanor');
  const svc = await registerMicroService(tr.connection, {
    subjects, component: 'store', id: 's-1', version: '0.1.0', metadata: { node: 'n1' },
    describe: () => ({ component: 'store', id: 's-1' }),
  });
  const client = await connect({ servers: srv.url });
  t.teardown(async () => { await client.close(); await svc.stop(); await tr.drain(); });
  const mc = client.services.client();
  const pings = [];
  for await (const p of await mc.ping()) pings.push(p);
  t.equal(pings.length, 1);
  t.equal(pings[0]!.name, 'athanor-store');
  const infos = [];
  for await (const i of await mc.info('athanor-store')) infos.push(i);
  t.equal(infos[0]!.metadata?.id, 's-1');
  t.equal(infos[0]!.endpoints[0]!.subject, 'athanor.rpc.store.announce.s-1');
  const reply = await client.request('athanor.rpc.store.announce.s-1', new Uint8Array(0), { timeout: 2000 });
  t.same(JSON.parse(new TextDecoder().decode(reply.data)), { component: 'store', id: 's-1' });
  const stats = [];
  for await (const s of await mc.stats('athanor-store')) stats.push(s);
  t.equal(stats[0]!.endpoints?.[0]?.num_requests, 1);
});
