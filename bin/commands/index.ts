import type { Command } from '../../runtime/cli/command.js';

/** What a command module exports. */
export interface CommandModule {
  readonly commands: readonly Command[];
}

/**
 * One command module in the manifest: the path and one-line summary of every command it defines
 * (all that `athanor --help`, group help and unknown-command errors print) and how to import it.
 * The module itself is imported only when one of its commands is run or asked for `--help`.
 */
export interface ManifestModule {
  readonly load: () => Promise<CommandModule>;
  readonly commands: ReadonlyArray<{ readonly path: readonly string[]; readonly summary: string }>;
}

/**
 * Every CLI command, by module. Adding a command: one entry (or one line in its module's entry),
 * with the same path and summary as the module's Command; test/bin/manifest.test.ts checks they agree.
 */
export const MANIFEST: readonly ManifestModule[] = [
  { load: () => import('./version.js'), commands: [{ path: ['version'], summary: 'print the athanor version' }] },
  { load: () => import('./up.js'), commands: [{ path: ['up'], summary: 'run the whole system (store gateway + querier) in one process on embedded defaults' }] },
  { load: () => import('./promql.js'), commands: [
    { path: ['tools', 'promql', 'test'], summary: 'run PromQL test scripts (Prometheus 2.42 language) against the engine' },
  ] },
  { load: () => import('./tsdb.js'), commands: [
    { path: ['tools', 'tsdb', 'dump'], summary: 'print the samples of the TSDB blocks in a data directory (promtool tsdb dump format)' },
    { path: ['tools', 'tsdb', 'create-blocks-from', 'openmetrics'], summary: 'write 2h-aligned TSDB blocks from an OpenMetrics file (as promtool tsdb create-blocks-from openmetrics)' },
  ] },
  { load: () => import('./bucket.js'), commands: [
    { path: ['tools', 'bucket', 'ls'], summary: 'List all blocks in the bucket.' },
    { path: ['tools', 'bucket', 'inspect'], summary: 'Inspect all blocks in the bucket in detailed, table-like way.' },
    { path: ['tools', 'bucket', 'verify'], summary: 'Verify all blocks in the bucket against specified issues (overlaps, missing files, size mismatches, index problems).' },
    { path: ['tools', 'bucket', 'upload-blocks'], summary: 'Upload blocks push blocks from the provided path to the object storage.' },
    { path: ['tools', 'bucket', 'mark'], summary: 'Mark block for deletion or no-compact in a safe way.' },
    { path: ['tools', 'bucket', 'cleanup'], summary: 'Cleans up all blocks marked for deletion (after --delete-delay) and aborted partial uploads (older than 48h).' },
  ] },
  { load: () => import('./store.js'), commands: [{ path: ['store'], summary: 'serve the blocks of an object storage bucket as a StoreAPI (store gateway)' }] },
  { load: () => import('./query.js'), commands: [
    { path: ['query'], summary: 'query every discovered StoreAPI with PromQL: fan-out, merge, deduplication, Prometheus HTTP API' },
  ] },
];

/** Every command, loading every module (docs generation, deployment checks). */
export async function allCommands(manifest: readonly ManifestModule[] = MANIFEST): Promise<Command[]> {
  const mods = await Promise.all(manifest.map((m) => m.load()));
  return mods.flatMap((m) => m.commands);
}

/**
 * The commands to hand to `dispatch(…, argv, …)`, importing at most one module: the module of the
 * command whose path is the longest prefix of argv's leading words (dispatch's own rule) gives its
 * real Commands; every other command is a stand-in with the manifest's path and summary, which is
 * all dispatch reads of a command it does not run. So help, group help and unknown-command errors
 * import nothing, and a module that fails to import breaks only its own commands.
 * Throws if the chosen module does not define the manifest's command (manifest drift).
 */
export async function commandsFor(argv: readonly string[], manifest: readonly ManifestModule[] = MANIFEST): Promise<Command[]> {
  const words: string[] = [];
  for (const a of argv) { if (a.startsWith('-')) break; words.push(a); }
  let best: { mod: ManifestModule; path: readonly string[] } | undefined;
  for (const mod of manifest) {
    for (const c of mod.commands) {
      if (c.path.length <= words.length && c.path.every((p, i) => words[i] === p) && (!best || c.path.length > best.path.length)) {
        best = { mod, path: c.path };
      }
    }
  }
  const loaded = best ? (await best.mod.load()).commands : [];
  if (best && !loaded.some((c) => samePath(c.path, best.path))) {
    throw new Error(`command manifest lists "athanor ${best.path.join(' ')}" but its module does not define it`);
  }
  const out: Command[] = [];
  for (const mod of manifest) {
    if (mod === best?.mod) { out.push(...loaded); continue; }
    for (const c of mod.commands) out.push(standIn(c.path, c.summary));
  }
  return out;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => b[i] === p);
}

function standIn(path: readonly string[], summary: string): Command {
  return {
    path, summary, flags: {},
    run: () => Promise.reject(new Error(`athanor ${path.join(' ')}: module not loaded`)),
  };
}
