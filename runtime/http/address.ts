import { ConfigError } from '../errors/runtime-errors.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `host:port` (`127.0.0.1:10902`, `[::1]:10902`, `:10902` = all interfaces, `0.0.0.0:0` =
 * any free port). Throws ConfigError naming the flag on bad input.
 */
export function parseHostPort(value: string, flag = 'http-address'): HostPort {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/u.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ConfigError(`parsing --${flag} "${value}": want host:port with a port 0-65535`, { data: { flag, value } });
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** Formats for URLs and logs, bracketing IPv6 hosts. */
export function formatHostPort(a: HostPort): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
