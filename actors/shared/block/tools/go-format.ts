/**
 * Renderings of values exactly as Go prints them in Thanos's `tools bucket` output:
 * `time.Duration.String()` (ms precision), `time.Unix(s, 0).Format(time.RFC3339)` in the local zone
 * and `message.NewPrinter(language.English).Sprintf("%d")` (thousands separators).
 */

/** Go's `time.Duration(ms * 1e6).String()`: `0s`, `500ms`, `1.5s`, `2h0m0s`, `-1h30m0s`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return '-' + goDuration(-ms);
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const rest = ms % 60_000;
  const whole = Math.floor(rest / 1000), frac = rest % 1000;
  const s = frac === 0 ? `${whole}` : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** Go's `time.Unix(ms/1000, 0).Format(time.RFC3339)` in the process's local zone (`Z` for UTC). */
export function goRfc3339(ms: number): string {
  const sec = Math.trunc(ms / 1000);
  const d = new Date(sec * 1000);
  const off = -d.getTimezoneOffset();
  const l = new Date(sec * 1000 + off * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${p(l.getUTCFullYear(), 4)}-${p(l.getUTCMonth() + 1)}-${p(l.getUTCDate())}T${p(l.getUTCHours())}:${p(l.getUTCMinutes())}:${p(l.getUTCSeconds())}`;
  if (off === 0) return `${base}Z`;
  const a = Math.abs(off);
  return `${base}${off < 0 ? '-' : '+'}${p(Math.floor(a / 60))}:${p(a % 60)}`;
}

/** An integer with English thousands separators: `1234567` → `1,234,567`. */
export function thousands(n: number): string {
  const neg = n < 0;
  const digits = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return neg ? `-${out}` : out;
}
