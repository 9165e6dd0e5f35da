import type { Command } from '../../runtime/cli/command.js';
import { bootProcess, processFlags } from '../../runtime/node/boot.js';
import { queryFlags, querySettingsFromFlags } from '../../actors/querier/flags.js';
import { setupQuerier } from '../../actors/querier/main.js';
import { version } from './version.js';

/** `athanor query`: the querier — global PromQL view over every discovered StoreAPI (Thanos's `thanos query`). */
export const commands: Command[] = [{
  path: ['query'],
  summary: 'query every discovered StoreAPI with PromQL: fan-out, merge, deduplication, Prometheus HTTP API',
  flags: { ...processFlags(false), ...queryFlags },
  async run(flags, _positionals, io) {
    querySettingsFromFlags(flags); // bad flags fail (exit 2) before any connection is made
    return bootProcess(flags, io, { component: 'query', version, embedded: false, setup: (ctx) => setupQuerier(ctx, version) });
  },
}];
