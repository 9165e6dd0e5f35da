import t from 'tap';
import { Writable } from 'node:stream';
import { MANIFEST, allCommands, commandsFor, type ManifestModule } from '../../bin/commands/index.js';
import { dispatch } from '../../runtime/cli/dispatch.js';
import type { Command } from '../../runtime/cli/command.js';

/** Runs dispatch with captured output. */
async function capture(commands: readonly Command[], argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''; let stderr = '';
  const sink = (f: (s: string) => void): Writable => new Writable({ write(c: Buffer, _e, cb) { f(c.toString('utf8')); cb(); } });
  const code = await dispatch(commands, argv, {
    stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }), signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

t.test('the manifest lists exactly the commands of its modules, with their summaries', async (t) => {
  for (const mod of MANIFEST) {
    const real = (await mod.load()).commands.map((c) => ({ path: [...c.path], summary: c.summary }));
    t.same(mod.commands.map((c) => ({ path: [...c.path], summary: c.summary })), real, real.map((c) => c.path.join(' ')).join(', '));
  }
  const all = await allCommands();
  t.equal(new Set(all.map((c) => c.path.join(' '))).size, all.length, 'no command listed twice');
});

t.test('dispatch over the lazy commands behaves exactly as over all loaded commands', async (t) => {
  const all = await allCommands();
  const argvs = [
    [], ['--help'], ['-h'], ['tools'], ['tools', '--help'], ['tools', 'bucket'], ['tools', 'tsdb', '--help'], ['nope'], ['tools', 'nope'],
    ['version'], ['version', '--help'], ['version', '--bogus'], ['version', 'extra'], ['tools', 'tsdb', 'dump', '--help'],
    ['tools', 'tsdb', 'create-blocks-from', 'openmetrics', '--help'], ['tools', 'bucket', 'ls', '--help'], ['query', '--help'],
    ['store', '--help'], ['up', '--help'], ['tools', 'promql', 'test', '--help'], ['tools', 'bucket', 'mark', '--bogus'],
  ];
  for (const argv of argvs) {
    t.same(await capture(await commandsFor(argv), argv), await capture(all, argv), `athanor ${argv.join(' ')}`);
  }
});

/** A fake manifest whose loaders count imports; module `broken` fails to import. */
function fakeManifest(): { manifest: ManifestModule[]; loads: Map<string, number> } {
  const loads = new Map<string, number>();
  const cmd = (path: string[], summary: string): Command => ({
    path, summary, flags: { n: { type: 'string', description: 'n' } },
    run: async (f, _p, io) => { io.stdout.write(`ran ${path.join(' ')} ${String(f['n'])}\n`); return 0; },
  });
  const mod = (name: string, cmds: Command[]): ManifestModule => ({
    commands: cmds.map((c) => ({ path: c.path, summary: c.summary })),
    load: async () => {
      loads.set(name, (loads.get(name) ?? 0) + 1);
      if (name === 'broken') throw new Error('broken module');
      return { commands: cmds };
    },
  });
  return {
    loads,
    manifest: [
      mod('a', [cmd(['a'], 'the a command')]),
      mod('tools', [cmd(['tools', 'x'], 'tool x'), cmd(['tools', 'x', 'deep'], 'tool x deep')]),
      mod('broken', [cmd(['bad'], 'fails to import')]),
    ],
  };
}

t.test('only the chosen command\'s module is imported; help and errors import none', async (t) => {
  const { manifest, loads } = fakeManifest();
  t.same(await capture(await commandsFor(['a', '--n=1'], manifest), ['a', '--n=1']), { code: 0, stdout: 'ran a 1\n', stderr: '' });
  t.same([...loads], [['a', 1]], 'only module a');
  loads.clear();
  const deep = ['tools', 'x', 'deep', 'arg', '--n', '2'];
  t.same((await capture(await commandsFor(deep, manifest), deep)).stdout, 'ran tools x deep 2\n', 'longest path wins');
  t.same([...loads], [['tools', 1]]);
  loads.clear();
  for (const argv of [[], ['--help'], ['tools'], ['nope'], ['tools', 'y']]) {
    const r = await capture(await commandsFor(argv, manifest), argv);
    t.match(r.stdout + r.stderr, /usage: athanor|unknown command/, `athanor ${argv.join(' ')}`);
  }
  t.same([...loads], [], 'listing help and unknown commands imports no module');
  const help = await capture(await commandsFor(['--help'], manifest), ['--help']);
  t.match(help.stdout, /bad +fails to import/, 'a broken module\'s command is still listed');
});

t.test('a module that fails to import breaks only its own commands', async (t) => {
  const { manifest } = fakeManifest();
  await t.rejects(commandsFor(['bad'], manifest), /broken module/);
  t.equal((await capture(await commandsFor(['a'], manifest), ['a'])).code, 0, 'other commands still run');
});

t.test('a manifest entry its module does not define is an error, not a silent stand-in', async (t) => {
  const drift: ManifestModule[] = [{ commands: [{ path: ['ghost'], summary: 's' }], load: async () => ({ commands: [] }) }];
  await t.rejects(commandsFor(['ghost'], drift), /manifest lists "athanor ghost" but its module does not define it/);
});
