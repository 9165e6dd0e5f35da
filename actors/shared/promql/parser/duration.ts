import { goQuote } from '../../labels/go-quote.js';
/**
 * Prometheus durations (`model.ParseDuration` / `model.Duration.String` of Prometheus 2.42):
 * integer amounts of `y`(365d) `w` `d` `h` `m` `s` `ms`, each unit at most once, largest first
 * (`1h30m`, `90d`, `1y2w`); the bare string `0` is zero. All values are milliseconds.
 */

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3600_000], ['w', 7 * 24 * 3600_000], ['d', 24 * 3600_000], ['h', 3600_000], ['m', 60_000],
  ['s', 1000], ['ms', 1],
];
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
/** Largest duration Go's time.Duration (int64 ns) holds, in ms. */
export const MAX_DURATION_MS = 9_223_372_036_854;

/** Thrown for strings that are not Prometheus durations; the message is Prometheus' text. */
export class DurationSyntaxError extends Error {
  override readonly name = 'DurationSyntaxError';
}

/** Parses a Prometheus duration to ms. Throws DurationSyntaxError (message as Prometheus'). */
export function parseDuration(s: string): number {
  if (s === '0') return 0;
  if (s === '') throw new DurationSyntaxError('empty duration string');
  const m = DURATION_RE.exec(s);
  if (m === null) throw new DurationSyntaxError(`not a valid duration string: ${goQuote(s)}`);
  let total = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const g = m[i + 1];
    if (g === undefined) continue;
    const n = Number(g);
    total += n * UNITS[i]![1];
    if (!Number.isSafeInteger(n) || total > MAX_DURATION_MS) throw new DurationSyntaxError('duration out of range');
  }
  return total;
}

/** Formats ms like Prometheus (`1h30m`, `90d`, `0s`); y and w only when exact. Negative gets `-`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return '-' + formatDuration(-ms);
  let rest = Math.trunc(ms);
  let out = '';
  for (const [unit, mult] of UNITS) {
    if ((unit === 'y' || unit === 'w') && rest % mult !== 0) continue;
    const v = Math.floor(rest / mult);
    if (v > 0) { out += `${v}${unit}`; rest -= v * mult; }
  }
  return out;
}

/** Go's %q (strconv.Quote), re-exported for the parser's error messages. */
export { goQuote };
