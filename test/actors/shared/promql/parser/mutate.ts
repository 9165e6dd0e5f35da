export { seededRandom as rng } from '../../../../../runtime/random.js';
import { seededRandom as rng } from '../../../../../runtime/random.js';

const pieces = ['(', ')', '[', ']', '{', '}', ',', ':', '"', "'", '`', '\\', ' ', '-', '+', '^', '@', '#', '\n', '5m', '1.5', '0x',
  'offset', 'by', 'without', 'on', 'bool', 'group_left', 'sum', 'rate', 'start()', 'end()', '=~', '!=', 'and', 'or', 'Inf', 'NaN',
  '[5m:]', '[1m]', 'foo', '__name__', 'é', '\u0000', '1e999', 'atan2', 'anchored', 'fill(0)', '"(?i:x)"', '9999999999999999999'];

/** 1–3 random edits of `q`: deletions, inserted PromQL fragments, splices of other queries. */
export function mutateQuery(q: string, others: readonly string[], r: () => number): string {
  let s = q;
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const p = Math.floor(r() * (s.length + 1));
    const k = r();
    if (k < 0.3) s = s.slice(0, p) + s.slice(p + 1 + Math.floor(r() * 3));
    else if (k < 0.7) s = s.slice(0, p) + pieces[Math.floor(r() * pieces.length)]! + s.slice(p);
    else if (k < 0.85) { const o = others[Math.floor(r() * others.length)]!; s = s.slice(0, p) + o.slice(0, Math.floor(r() * o.length)) + s.slice(p); }
    else s = s.slice(0, p) + s.slice(Math.floor(r() * (s.length + 1)));
  }
  return s;
}
