/** Small deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

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
