/**
 * Renders one pino JSON record as a logfmt line (`ts=… level=info component=store msg="…" k=v`),
 * the format Thanos and Prometheus print by default. Keys keep pino's order except that `ts` and
 * `level` come first and `msg` comes right after them; an `err` object becomes `err="<message>"`
 * plus `errCode=` when it has a code; other nested values are JSON.
 */
export function toLogfmt(record: Record<string, unknown>): string {
  const parts: string[] = [];
  const push = (k: string, v: unknown): void => { if (v !== undefined) parts.push(`${k}=${fmtValue(v)}`); };
  push('ts', record.time);
  push('level', record.level);
  push('msg', record.msg);
  for (const [k, v] of Object.entries(record)) {
    if (k === 'time' || k === 'level' || k === 'msg') continue;
    if (k === 'err' && typeof v === 'object' && v !== null) {
      const e = v as Record<string, unknown>;
      push('err', e.message ?? e.type);
      if (e.code !== undefined) push('errCode', e.code);
      continue;
    }
    push(k, v);
  }
  return parts.join(' ') + '\n';
}

function fmtValue(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  else if (v === null) return 'null';
  else s = JSON.stringify(v) ?? String(v);
  if (s !== '' && !/[\s"=\\]/u.test(s) && !/[\u0000-\u001f]/u.test(s)) return s;
  return JSON.stringify(s);
}
