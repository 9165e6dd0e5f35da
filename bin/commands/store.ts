import type { Command } from '../../runtime/cli/command.js';
import { bootProcess, processFlags } from '../../runtime/node/boot.js';
import { storeFlags, storeSettingsFromFlags } from '../../actors/store/flags.js';
import { setupStore } from '../../actors/store/main.js';
import { indexCacheConfigFromFlags } from '../../actors/store/index-cache-config.js';
import { cachingBucketConfigFromFlags } from '../../actors/shared/objstore/caching-config.js';
import { version } from './version.js';

/** `athanor store`: the store gateway — serves the blocks of a bucket as a StoreAPI (Thanos's `thanos store`). */
export const commands: Command[] = [{
  path: ['store'],
  summary: 'serve the blocks of an object storage bucket as a StoreAPI (store gateway)',
  flags: { ...processFlags(false), ...storeFlags },
  async run(flags, _positionals, io) {
    const settings = await storeSettingsFromFlags(flags); // bad flags fail (exit 2) before any connection is made
    // Bad cache configs fail (CACHE_BAD_CONFIG, exit 1) before any connection too.
    await cachingBucketConfigFromFlags(flags);
    await indexCacheConfigFromFlags(flags, settings.indexCacheBytes);
    return bootProcess(flags, io, { component: 'store', version, embedded: false, setup: setupStore });
  },
}];
