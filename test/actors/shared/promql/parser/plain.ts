import type { Expr } from '../../../../../actors/shared/promql/parser/index.js';

/** An AST as plain JSON-able data (matchers as {type,name,value}, functions by name, ±Inf/NaN as strings). */
export function plain(e: Expr): unknown {
  return JSON.parse(JSON.stringify(e, (k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    if (typeof v === 'number' && Object.is(v, -0)) return '-0';
    if (k === 'func' && typeof v === 'object' && v !== null) return (v as { name: string }).name;
    if (k === 'matchers' && Array.isArray(v)) return v.map((m: { type: string; name: string; value: string }) => ({ type: m.type, name: m.name, value: m.value }));
    return v;
  }));
}

/**
 * `plain(e)` with each selector's matchers sorted (by type, name, value): the form a round trip
 * through printExpr keeps, since printExpr sorts matchers like Prometheus 2.42's `String()`.
 */
export function plainUnordered(e: Expr): unknown {
  const key = (m: { type: string; name: string; value: string }): string => `${m.name}\u0000${m.type}\u0000${m.value}`;
  return JSON.parse(JSON.stringify(plain(e), (k, v: unknown) => {
    if (k === 'matchers' && Array.isArray(v)) return [...(v as Array<{ type: string; name: string; value: string }>)].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return v;
  }));
}
