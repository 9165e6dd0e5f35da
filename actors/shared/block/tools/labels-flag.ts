import { ConfigError } from '../../../../runtime/errors/runtime-errors.js';

/**
 * Parses repeated `name="value"` flags (Thanos's `--label` / `--selector` form; the value is a Go
 * quoted string) into a sorted name→value map. An unquoted value (`name=value`) is taken as it is.
 * A duplicate name keeps the last value. ConfigError (exit 2) for a value without `=`, an empty
 * name or a malformed quoted value; `flag` names the flag in the message.
 */
export function parseFlagLabels(values: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw new ConfigError(`flag --${flag}: unrecognized label ${JSON.stringify(v)}, want name="value"`);
    const name = v.slice(0, eq);
    if (name === '') throw new ConfigError(`flag --${flag}: unsupported format for label ${JSON.stringify(v)}: empty name`);
    out[name] = unquote(v.slice(eq + 1), flag, v);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function unquote(raw: string, flag: string, whole: string): string {
  if (raw.length >= 2 && raw.startsWith('`') && raw.endsWith('`') && !raw.slice(1, -1).includes('`')) return raw.slice(1, -1);
  if (!raw.startsWith('"')) return raw;
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v === 'string') return v;
  } catch { /* fall through */ }
  throw new ConfigError(`flag --${flag}: unquote label value of ${JSON.stringify(whole)}: invalid syntax`);
}
