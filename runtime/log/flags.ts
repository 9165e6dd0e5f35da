import type { FlagSpec, FlagValues } from '../cli/command.js';
import { stringFlag } from '../cli/command.js';
import { ConfigError } from '../errors/runtime-errors.js';
import { LOG_FORMATS, LOG_LEVELS, createLogger, type LogDestination, type LogFormat, type LogLevel, type Logger } from './logger.js';

/** `--log.level` and `--log.format`, named and defaulted as in Thanos. */
export const logFlags = {
  'log.level': { type: 'string', default: 'info', placeholder: '<level>', description: `log filtering level: ${LOG_LEVELS.join('|')}` },
  'log.format': { type: 'string', default: 'logfmt', placeholder: '<format>', description: `log format: ${LOG_FORMATS.join('|')}` },
} as const satisfies Record<string, FlagSpec>;

/** Reads and validates the log flags; a bad value is a ConfigError naming the flag. */
export function logOptionsFromFlags(v: FlagValues): { level: LogLevel; format: LogFormat } {
  const level = stringFlag(v, 'log.level') ?? 'info';
  const format = stringFlag(v, 'log.format') ?? 'logfmt';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError(`flag --log.level: unknown level "${level}", want one of ${LOG_LEVELS.join(', ')}`);
  if (!(LOG_FORMATS as readonly string[]).includes(format)) throw new ConfigError(`flag --log.format: unknown format "${format}", want one of ${LOG_FORMATS.join(', ')}`);
  return { level: level as LogLevel, format: format as LogFormat };
}

/** Builds the root logger from parsed flags. */
export function loggerFromFlags(v: FlagValues, destination?: LogDestination): Logger {
  const o = logOptionsFromFlags(v);
  return createLogger(destination ? { ...o, destination } : o);
}
