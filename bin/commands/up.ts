import type { Command } from '../../runtime/cli/command.js';
import { jsonResponse } from '../../runtime/http/types.js';
import { bootProcess, processFlags } from '../../runtime/node/boot.js';
import { version } from './version.js';

/**
 * `athanor up`: the whole system in one process on embedded defaults (in-process transport unless
 * --nats.url is given). It hosts the runtime — HTTP (/metrics, /-/healthy, /-/ready), discovery,
 * and this node's presence; component actors join it as they are built.
 */
export const commands: Command[] = [{
  path: ['up'],
  summary: 'run the whole system in one process on embedded defaults',
  flags: processFlags(true),
  run: (flags, _positionals, io) => bootProcess(flags, io, {
    component: 'node', version, embedded: true,
    async setup({ host, http, node }) {
      http.route('GET', '/api/v1/discovery/peers', async () => jsonResponse(200, {
        status: 'success',
        data: host.discovery.list().map((p) => ({
          component: p.announcement.component, id: p.announcement.id, node: p.announcement.node,
          subjects: p.announcement.subjects, info: p.announcement.info,
          firstSeen: new Date(p.firstSeenMs).toISOString(), lastSeen: new Date(p.lastSeenMs).toISOString(),
        })),
      }));
      const members = [{
        name: 'presence',
        async execute(signal: AbortSignal) {
          await host.announce({ component: 'node', id: node, serves: {}, info: { version, components: [] } });
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        },
      }];
      return { members, ready: host.discovery.waitUntil((ps) => ps.some((p) => p.announcement.id === node)) };
    },
  }),
}];
