import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors/runtime-errors.js';

/** One CLI flag. Names follow Thanos where the concept is the same (`--objstore.config-file`). */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** Repeatable flags collect every occurrence. */
  readonly multiple?: boolean;
  readonly default?: string | boolean | string[];
  readonly short?: string;
  /** Shown in help instead of the type, e.g. `<url>`. */
  readonly placeholder?: string;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

/** A leaf command such as `athanor tools tsdb dump`. */
export interface Command {
  /** Words after `athanor`, e.g. ['tools', 'tsdb', 'dump']. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Positional arguments shown in usage, e.g. '<dir>'. */
  readonly args?: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Returns the process exit code. Throw ConfigError for bad flags (exit 2 with the message). */
  run(flags: FlagValues, positionals: string[], io: CommandIO): Promise<number>;
}

/** Parses argv for one command; unknown flags and bad values become ConfigError. */
export function parseFlags(cmd: Command, argv: string[]): { flags: FlagValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string; default?: string | boolean | string[] }> = {};
  for (const [name, spec] of Object.entries(cmd.flags)) {
    options[name] = { type: spec.type };
    if (spec.multiple) options[name].multiple = true;
    if (spec.short) options[name].short = spec.short;
    if (spec.default !== undefined) options[name].default = spec.default;
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { flags: values as FlagValues, positionals };
  } catch (err) {
    throw new ConfigError(`parsing flags of "athanor ${cmd.path.join(' ')}": ${(err as Error).message}`, { cause: err });
  }
}

/** Renders `--help` for a command. */
export function commandHelp(cmd: Command): string {
  const lines = [`usage: athanor ${cmd.path.join(' ')} [flags]${cmd.args ? ` ${cmd.args}` : ''}`, '', cmd.summary, ''];
  const entries = Object.entries(cmd.flags).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length > 0) lines.push('flags:');
  for (const [name, spec] of entries) {
    const ph = spec.type === 'boolean' ? '' : `=${spec.placeholder ?? '<value>'}`;
    const def = spec.default === undefined || spec.default === false ? '' : ` (default: ${JSON.stringify(spec.default)})`;
    const rep = spec.multiple ? ' (repeatable)' : '';
    lines.push(`  --${name}${ph}`, `      ${spec.description}${def}${rep}`);
  }
  lines.push('  --help', '      show this help');
  return lines.join('\n') + '\n';
}

/** Helpers for reading typed flag values. */
export function stringFlag(v: FlagValues, name: string): string | undefined {
  const x = v[name];
  if (x === undefined) return undefined;
  if (typeof x !== 'string') throw new ConfigError(`flag --${name} expects a value`);
  return x;
}

export function stringsFlag(v: FlagValues, name: string): string[] {
  const x = v[name];
  if (x === undefined) return [];
  if (Array.isArray(x)) return x;
  if (typeof x === 'string') return [x];
  throw new ConfigError(`flag --${name} expects values`);
}

export function boolFlag(v: FlagValues, name: string): boolean {
  return v[name] === true;
}

/**
 * The Thanos-style pair of flags for a YAML configuration, `--<contentFlag>-file` and
 * `--<contentFlag>` (read them with fileOrContentFlag). `what` names the configuration ("object
 * store"); `fileDetail` ends the file flag's description (format, and what it overrides).
 */
export function yamlConfigFlags(contentFlag: string, what: string, fileDetail: string): Record<string, FlagSpec> {
  return {
    [`${contentFlag}-file`]: { type: 'string', placeholder: '<file-path>', description: `Path to the YAML file of the ${what} configuration ${fileDetail}` },
    [contentFlag]: {
      type: 'string', placeholder: '<content>',
      description: `Alternative to --${contentFlag}-file: the YAML content of the ${what} configuration.`,
    },
  };
}

/** Text given either through a `--x-file` flag or inline through `--x`, and where it came from. */
export interface FlagText {
  readonly text: string;
  /** `<what> file <path>` or `flag --<contentFlag>`, for error messages. */
  readonly source: string;
}

/**
 * Reads the Thanos-style flag pair `--<x>-file` / `--<x>`: undefined when neither is set; an error
 * (made by `fail`, ConfigError by default) when both are set, either is given more than once, or
 * the file cannot be read.
 */
export async function fileOrContentFlag(
  v: FlagValues, fileFlag: string, contentFlag: string, what: string,
  fail: (message: string, options: { cause?: unknown; data?: Record<string, unknown> }) => Error = (m, o) => new ConfigError(m, o),
): Promise<FlagText | undefined> {
  const file = v[fileFlag];
  const content = v[contentFlag];
  if (file !== undefined && typeof file !== 'string') throw fail(`flag --${fileFlag} expects one path`, {});
  if (content !== undefined && typeof content !== 'string') throw fail(`flag --${contentFlag} expects one value`, {});
  if (typeof file === 'string' && typeof content === 'string') throw fail(`both --${fileFlag} and --${contentFlag} are set; use one`, {});
  if (typeof file === 'string') {
    try { return { text: await readFile(file, 'utf8'), source: `${what} file ${file}` }; } catch (e) {
      throw fail(`reading ${what} file ${file}: ${(e as Error).message}`, { cause: e, data: { file } });
    }
  }
  return typeof content === 'string' ? { text: content, source: `flag --${contentFlag}` } : undefined;
}
