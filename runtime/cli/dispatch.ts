import { CodedError } from '../errors/coded-error.js';
import { ConfigError } from '../errors/runtime-errors.js';
import { commandHelp, parseFlags, type Command, type CommandIO } from './command.js';

/**
 * Finds the command whose path is the longest prefix of argv, handles `--help` and groups
 * (`athanor tools` lists its subcommands), and runs it. Returns the exit code:
 * 0 ok, 1 runtime failure, 2 usage/config error.
 */
export async function dispatch(commands: readonly Command[], argv: string[], io: CommandIO): Promise<number> {
  const words: string[] = [];
  for (const a of argv) { if (a.startsWith('-')) break; words.push(a); }
  let best: Command | undefined;
  for (const c of commands) {
    if (c.path.length <= words.length && c.path.every((p, i) => words[i] === p)) {
      if (!best || c.path.length > best.path.length) best = c;
    }
  }
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (!best) {
    const group = words;
    const under = commands.filter((c) => group.every((g, i) => c.path[i] === g));
    if (under.length === 0) {
      io.stderr.write(`athanor: unknown command "${group.join(' ')}"\n\n${groupHelp(commands, [])}`);
      return 2;
    }
    (wantsHelp || group.length === 0 ? io.stdout : io.stderr).write(groupHelp(under, group));
    return wantsHelp || group.length === 0 ? 0 : 2;
  }
  const rest = argv.slice(best.path.length);
  if (wantsHelp) { io.stdout.write(commandHelp(best)); return 0; }
  try {
    const { flags, positionals } = parseFlags(best, rest);
    return await best.run(flags, positionals, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`athanor ${best.path.join(' ')}: ${err.message}\n(see: athanor ${best.path.join(' ')} --help)\n`);
      return 2;
    }
    const code = err instanceof CodedError ? ` [${err.code}]` : '';
    io.stderr.write(`athanor ${best.path.join(' ')}: ${(err as Error).message ?? String(err)}${code}\n`);
    return 1;
  }
}

function groupHelp(commands: readonly Command[], group: readonly string[]): string {
  const lines = [`usage: athanor ${[...group, '<command>'].join(' ')} [flags]`, '', 'commands:'];
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  for (const c of [...commands].sort((a, b) => a.path.join(' ').localeCompare(b.path.join(' ')))) {
    lines.push(`  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  }
  lines.push('', 'run "athanor <command> --help" for its flags');
  return lines.join('\n') + '\n';
}
