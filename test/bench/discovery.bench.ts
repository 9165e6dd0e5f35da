// Discovery at scale: N simulated store actors announcing over one real nats-server.
// Reports messages published per interval (must grow linearly with N) and how long until every
// querier's registry sees every store, in announce intervals (target < 2).
import { startNats } from '../harness/nats.js';
import { NatsTransport } from '../../runtime/transport/nats-transport.js';
import { Subjects } from '../../runtime/transport/subject.js';
import { Announcer } from '../../runtime/discovery/announcer.js';
import { Registry } from '../../runtime/discovery/registry.js';

const INTERVAL_MS = 1000;
const CONNECTIONS = 10;
const QUERIERS = 5;
const sizes = [50, 100, 250, 500];

const nats = await startNats();
const conns = await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => NatsTransport.connect({ servers: [nats.url], name: `bench-${i}` })));
const qconns = await Promise.all(Array.from({ length: QUERIERS }, (_, i) => NatsTransport.connect({ servers: [nats.url], name: `q-${i}` })));

async function inMsgs(): Promise<number> { return Number((await nats.monitor('varz')).in_msgs); }

const rows: string[] = [];
let run = 0;
for (const n of sizes) {
  const subjects = new Subjects(`bench${run++}`);
  const stores = Array.from({ length: n }, (_, i) => new Announcer({
    transport: conns[i % CONNECTIONS]!, subjects, component: 'store', id: `s${i}`, node: `n${i % CONNECTIONS}`,
    serves: { series: subjects.rpcInstance('store', 'series', `s${i}`) },
    info: { labelSets: [[{ name: 'replica', value: String(i % 2) }, { name: 'cluster', value: `c${i % 7}` }]], minTime: 0, maxTime: Date.now() },
    intervalMs: INTERVAL_MS,
  }));
  // Queriers and stores start together: the registries must converge through probes and announcements.
  const started = performance.now();
  const regs = qconns.map((tr, i) => new Registry({ transport: tr, subjects, self: `q${i}`, components: ['store'] }));
  const converged = regs.map((r) => r.waitUntil((ps) => ps.length === n).then(() => performance.now() - started));
  await Promise.all([...regs.map((r) => r.start()), ...stores.map((s) => s.start())]);
  const coldMs = Math.max(...await Promise.all(converged));

  // A querier joining a running cluster: one probe round.
  const late = new Registry({ transport: qconns[0]!, subjects, self: 'late', components: ['store'] });
  const lateStart = performance.now();
  const lateDone = late.waitUntil((ps) => ps.length === n);
  await late.start();
  await lateDone;
  const lateMs = performance.now() - lateStart;

  // Steady state: messages published per interval over 5 intervals.
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
  const before = await inMsgs();
  await new Promise((r) => setTimeout(r, 5 * INTERVAL_MS));
  const perInterval = ((await inMsgs()) - before) / 5;

  rows.push(`| ${n} | ${perInterval.toFixed(0)} | ${(perInterval / n).toFixed(2)} | ${coldMs.toFixed(0)} ms (${(coldMs / INTERVAL_MS).toFixed(2)}) | ${lateMs.toFixed(0)} ms (${(lateMs / INTERVAL_MS).toFixed(2)}) |`);
  await Promise.all([...stores.map((s) => s.stop()), ...regs.map((r) => r.stop()), late.stop()]);
}

await Promise.all([...conns, ...qconns].map((c) => c.drain()));
await nats.stop();

process.stdout.write(`## Discovery at scale

Simulated store actors (over ${CONNECTIONS} NATS connections) announce every ${INTERVAL_MS} ms (±20 % jitter) to one
real nats-server; ${QUERIERS} querier registries start at the same moment as the stores. "Messages per interval" is
the server's published-message count (\`varz.in_msgs\`) per interval in steady state: it must grow linearly with N
(ratio ≈ 1 message per actor), never n². Convergence is the time until every querier lists every store, also
given in announce intervals (target < 2); a querier joining a running cluster converges through one probe round.

| stores N | messages / interval | per actor | all queriers see all stores (intervals) | late querier (intervals) |
| --- | --- | --- | --- | --- |
${rows.join('\n')}
`);
