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
