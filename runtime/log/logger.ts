/**
 * The process logger: one pino root per process, created in `main.ts` and passed down; components
 * and actors get child loggers with fixed bindings (`component`, `actor`, …). Library code never
 * imports a global logger and never writes to the console.
 */
import { pino, type Logger as PinoLogger } from 'pino';
import { ConfigError } from '../errors/runtime-errors.js';
import { toLogfmt } from './logfmt.js';

export type Logger = PinoLogger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where lines go; defaults to stderr (as Thanos logs). Each call receives exactly one line. */
export interface LogDestination {
  write(line: string): unknown;
}

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly destination?: LogDestination;
  /** Bindings on the root logger, e.g. `{ node: 'host-1' }`. */
  readonly bindings?: LogBindings;
}

/**
 * The fixed key vocabulary for bindings (camelCase). Use these names so logs from every component
 * can be filtered the same way; extra keys are allowed but should be rare.
 */
export interface LogBindings {
  readonly component?: string;
  readonly actor?: string;
  readonly node?: string;
  readonly subject?: string;
  readonly block?: string;
  readonly tenant?: string;
  readonly [key: string]: string | number | boolean | undefined;
}

/**
 * Creates the root logger. Records carry `level` as a label (`info`), `time` as ISO-8601 and no
 * pid/hostname. `logfmt` writes one `key=value` line per record; `json` writes pino's JSON line.
 */
export function createLogger(opts: LoggerOptions): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(opts.level)) throw new ConfigError(`creating logger: unknown level "${opts.level}"`);
  const out: LogDestination = opts.destination ?? process.stderr;
  let dest: LogDestination;
  if (opts.format === 'json') dest = out;
  else if (opts.format === 'logfmt') dest = { write: (line: string) => out.write(toLogfmt(JSON.parse(line) as Record<string, unknown>)) };
  else throw new ConfigError(`creating logger: unknown format "${String(opts.format)}"`);
  const root = pino({
    level: opts.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }, dest);
  return opts.bindings ? root.child(opts.bindings) : root;
}

/** A child logger with fixed bindings set at creation (`childLogger(log, { component: 'store' })`). */
export function childLogger(parent: Logger, bindings: LogBindings): Logger {
  return parent.child(bindings);
}

/** A logger that drops everything; for tests and tools that don't log. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
