import { hostname } from 'node:os';
import { once } from 'node:events';
import type { Registry as MetricsRegistry } from 'prom-client';
import { stringFlag, stringsFlag, type CommandIO, type FlagSpec, type FlagValues } from '../cli/command.js';
import { httpFlags } from '../http/flags.js';
import { parseHostPort } from '../http/address.js';
import { HttpServer } from '../http/server.js';
import { RunGroup, type RunMember } from '../lifecycle/run-group.js';
import { signalMember } from '../lifecycle/signals.js';
import { logFlags, loggerFromFlags } from '../log/flags.js';
import { childLogger, type Logger } from '../log/logger.js';
import { createRegistry } from '../metrics/registry.js';
import { LocalTransport } from '../transport/local-transport.js';
import { NatsTransport } from '../transport/nats-transport.js';
import { DEFAULT_NATS_URL, natsFlags, natsOptionsFromFlags } from '../transport/nats-options.js';
import { Subjects } from '../transport/subject.js';
import type { Transport } from '../transport/transport.js';
import type { TransportStats } from '../transport/stats.js';
import { NodeHost } from './host.js';

/**
 * Flags every long-running command accepts: HTTP, logging, NATS. With `embedded`, `--nats.url`
 * has no default and its absence selects the in-process transport (`athanor up`).
 */
export function processFlags(embedded: boolean): Record<string, FlagSpec> {
  const nats: Record<string, FlagSpec> = { ...natsFlags };
  if (embedded) {
    nats['nats.url'] = { type: 'string', multiple: true, placeholder: '<url>',
      description: `NATS server URL (repeatable); without it everything runs on the in-process transport (e.g. ${DEFAULT_NATS_URL})` };
  }
  return { ...httpFlags, ...logFlags, ...nats };
}

/** What a component's wiring receives. */
export interface ProcessContext {
  readonly log: Logger;
  /** The process's one transport (in-process or NATS), for serving and calling actors. */
  readonly transport: Transport & { readonly stats: TransportStats };
  readonly metrics: MetricsRegistry;
  readonly host: NodeHost;
  readonly http: HttpServer;
  readonly subjects: Subjects;
  readonly flags: FlagValues;
  readonly node: string;
}

export interface BootOptions {
  readonly component: string;
  readonly version: string;
  readonly embedded: boolean;
  /**
   * Builds the component's run-group members (started after transport, discovery and HTTP) and
   * says when the process is ready by resolving `ready` (e.g. after a first sync).
   */
  readonly setup: (ctx: ProcessContext) => Promise<{ members: RunMember[]; ready: Promise<void> }>;
}

/**
 * Boots one process as a run group: transport → discovery → HTTP → component members → signals.
 * Returns the exit code once the group stopped (0 on a signal, 1 when a member failed).
 */
export async function bootProcess(flags: FlagValues, io: CommandIO, o: BootOptions): Promise<number> {
  const node = `${hostname()}-${process.pid}`;
  const log = loggerFromFlags(flags).child({ node });
  const address = parseHostPort(stringFlag(flags, 'http-address') ?? '127.0.0.1:10902');
  const local = o.embedded && stringsFlag(flags, 'nats.url').length === 0;
  const natsOpts = natsOptionsFromFlags(flags, `athanor-${o.component}-${node}`);
  const subjects = new Subjects(natsOpts.prefix ?? 'athanor');
  const metrics = createRegistry();
  const transport = local ? new LocalTransport() : await NatsTransport.connect(natsOpts);
  log.info({ transport: local ? 'in-process' : natsOpts.servers.join(','), prefix: subjects.prefix }, 'transport connected');
  const host = new NodeHost({ transport, subjects, metrics, log: childLogger(log, { component: 'discovery' }), node, version: o.version });
  const http = new HttpServer({ address, registry: metrics, log: childLogger(log, { component: 'http' }) });
  const group = new RunGroup({ log });
  for (const m of host.members()) group.addMember(m);
  group.add('http', async (signal) => {
    await http.listen();
    if (!signal.aborted) await once(signal, 'abort');
    await http.close();
  });
  const { members, ready } = await o.setup({ log, metrics, host, http, subjects, flags, node, transport });
  for (const m of members) group.addMember(m);
  group.addMember(signalMember({ log }));
  const aborted = new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
  group.add('cli-signal', () => aborted);
  ready.then(() => { http.setReady(true); log.info({ component: o.component }, 'ready'); }, () => undefined);
  try {
    await group.run();
    log.info({}, 'stopped');
    return 0;
  } catch (err) {
    log.error({ err }, 'exiting on error');
    return 1;
  }
}
