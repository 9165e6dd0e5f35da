import type { Command } from '../../runtime/cli/command.js';

/**
 * Every CLI command. Each component or tool adds its command module here (one line each).
 */
export async function allCommands(): Promise<Command[]> {
  const mods = await Promise.all([
    import('./version.js'),
    import('./up.js'),
    import('./promql.js'),
    import('./tsdb.js'),
    import('./bucket.js'),
    import('./store.js'),
    import('./query.js'),
  ]);
  return mods.flatMap((m) => m.commands);
}
