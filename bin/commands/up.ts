import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringFlag, type Command, type FlagValues } from '../../runtime/cli/command.js';
import { jsonResponse } from '../../runtime/http/types.js';
import { bootProcess, processFlags } from '../../runtime/node/boot.js';
import { storeFlags } from '../../actors/store/flags.js';
import { setupStore } from '../../actors/store/main.js';
import { queryFlags, querySettingsFromFlags } from '../../actors/querier/flags.js';
import { setupQuerier } from '../../actors/querier/main.js';
import { version } from './version.js';

/**
 * With no objstore flag, `up` uses a FILESYSTEM bucket under `--data-dir` (the embedded default),
 * so `npm start` needs no configuration at all.
 */
async function withEmbeddedBucket(flags: FlagValues): Promise<FlagValues> {
  if (flags['objstore.config'] !== undefined || flags['objstore.config-file'] !== undefined) return flags;
  const dir = resolve(stringFlag(flags, 'data-dir') ?? './data', 'bucket');
  await mkdir(dir, { recursive: true });
  return { ...flags, 'objstore.config': `type: FILESYSTEM\nconfig:\n  directory: ${JSON.stringify(dir)}\n` };
}

/**
 * `athanor up`: the whole system in one process on embedded defaults — the in-process transport
 * (unless --nats.url is given), a FILESYSTEM bucket under --data-dir (unless an objstore flag is
 * given), a store gateway serving it and a querier over everything discovered, with the
 * Prometheus HTTP API, /api/v1/stores and the query page on --http-address.
 */
export const commands: Command[] = [{
  path: ['up'],
  summary: 'run the whole system (store gateway + querier) in one process on embedded defaults',
  flags: { ...processFlags(true), ...storeFlags, ...queryFlags },
  async run(given, _positionals, io) {
    querySettingsFromFlags(given); // bad flags fail (exit 2) before anything starts
    const flags = await withEmbeddedBucket(given);
    return bootProcess(flags, io, {
      component: 'node', version, embedded: true,
      async setup(ctx) {
        ctx.http.route('GET', '/api/v1/discovery/peers', async () => jsonResponse(200, {
          status: 'success',
          data: ctx.host.discovery.list().map((p) => ({
            component: p.announcement.component, id: p.announcement.id, node: p.announcement.node,
            subjects: p.announcement.subjects, info: p.announcement.info,
            firstSeen: new Date(p.firstSeenMs).toISOString(), lastSeen: new Date(p.lastSeenMs).toISOString(),
          })),
        }));
        const store = await setupStore(ctx);
        const query = await setupQuerier(ctx, version);
        return { members: [...store.members, ...query.members], ready: Promise.all([store.ready, query.ready]).then(() => undefined) };
      },
    });
  },
}];
