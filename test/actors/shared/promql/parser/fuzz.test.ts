import t from 'tap';
import { readFileSync } from 'node:fs';
import { ParseError, parseExpr, printExpr, tryParse } from '../../../../../actors/shared/promql/parser/index.js';
import { mutateQuery, rng } from './mutate.js';
import { plainUnordered } from './plain.js';

const seeds = readFileSync('/work/shared/compliance/expanded-queries.txt', 'utf8').split('\n').filter((l) => l !== '')
  .map((l) => l.slice(l.indexOf('\t') + 1));

t.test('mutated compliance queries either parse (and round-trip) or throw ParseError', async (t) => {
  const r = rng(0x5eed);
  let ok = 0; let failed = 0;
  for (let i = 0; i < 3000; i++) {
    const q = mutateQuery(seeds[Math.floor(r() * seeds.length)]!, seeds, r);
    let res;
    try { res = tryParse(q); } catch (e) { t.fail(`${JSON.stringify(q)} threw ${String(e)}`); continue; }
    if ('expr' in res) {
      ok++;
      const printed = printExpr(res.expr);
      const again = tryParse(printed);
      if (!('expr' in again)) { t.fail(`${JSON.stringify(q)} printed as ${printed} which fails: ${again.error.message}`); continue; }
      if (JSON.stringify(plainUnordered(again.expr)) !== JSON.stringify(plainUnordered(res.expr))) t.fail(`${JSON.stringify(q)} does not round-trip via ${printed}`);
    } else {
      failed++;
      if (!(res.error instanceof ParseError) || !/^\d+:\d+: parse error: /.test(res.error.message)) t.fail(`bad error for ${JSON.stringify(q)}`);
      if (res.error.message.includes('internal parser failure')) t.fail(`${JSON.stringify(q)}: ${res.error.message}`);
    }
  }
  t.ok(ok > 500 && failed > 500, `both outcomes exercised (${ok} parsed, ${failed} rejected)`);
});

t.test('pathological inputs terminate with an AST or ParseError', async (t) => {
  const big = [
    '('.repeat(5000) + '1' + ')'.repeat(5000),
    '-'.repeat(5000) + '1',
    Array.from({ length: 3000 }, (_, i) => `m${i}`).join(' + '),
    'foo{' + Array.from({ length: 2000 }, (_, i) => `l${i}="v"`).join(',') + '}',
    '"' + 'a'.repeat(100000),
    '\u{1F600}{',
  ];
  for (const q of big) {
    const r = tryParse(q);
    t.ok('expr' in r || r.error instanceof ParseError, q.slice(0, 20));
  }
  t.throws(() => parseExpr(big[4]!), ParseError);
});
