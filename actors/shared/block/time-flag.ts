import { parseDuration } from '../promql/parser/duration.js';
import { BadTimeFlagError } from './errors.js';

/**
 * A `--min-time`/`--max-time` value as Thanos takes it: RFC3339 (`2018-01-01T00:00:00Z`) or a
 * Prometheus duration relative to now with an optional leading `-` (`-6w`, `-2h45m`, `0s` = now).
 * Relative values are resolved at each use, so a window slides with time.
 */
export type TimeFlag = { readonly kind: 'absolute'; readonly ms: number } | { readonly kind: 'relative'; readonly offsetMs: number };

export const MIN_TIME_DEFAULT = '0000-01-01T00:00:00Z';
export const MAX_TIME_DEFAULT = '9999-12-31T23:59:59Z';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseTimeFlag(value: string, flag: string): TimeFlag {
  const m = RFC3339.exec(value);
  if (m) {
    // Date.parse cannot take year 0000; compute from parts (proleptic Gregorian, as Go does).
    const d = new Date(0);
    d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), m[7] ? Math.trunc(Number(m[7]) * 1000) : 0);
    let ms = d.getTime();
    if (m[8] !== 'Z' && m[8] !== 'z') {
      const sign = m[8]![0] === '-' ? -1 : 1;
      ms -= sign * (Number(m[8]!.slice(1, 3)) * 60 + Number(m[8]!.slice(4, 6))) * 60_000;
    }
    if (Number.isNaN(ms)) throw new BadTimeFlagError(`flag --${flag}: invalid date ${JSON.stringify(value)}`, { data: { flag, value } });
    return { kind: 'absolute', ms };
  }
  const neg = value.startsWith('-');
  try {
    const d = parseDuration(neg ? value.slice(1) : value);
    return { kind: 'relative', offsetMs: neg ? -d : d };
  } catch (err) {
    throw new BadTimeFlagError(`flag --${flag}: ${JSON.stringify(value)} is neither RFC3339 nor a duration like -2h or 0s`, { cause: err, data: { flag, value } });
  }
}

export function resolveTimeFlag(t: TimeFlag, nowMs: number): number {
  return t.kind === 'absolute' ? t.ms : nowMs + t.offsetMs;
}
