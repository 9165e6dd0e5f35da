import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { parseExpr, printExpr, tryParse } from '../../../../../actors/shared/promql/parser/index.js';
import { plainUnordered } from './plain.js';

const compliance = readFileSync('/work/shared/compliance/expanded-queries.txt', 'utf8').split('\n').filter((l) => l !== '')
  .map((l) => { const [status, ...q] = l.split('\t'); return { status: status!, query: q.join('\t') }; });

t.test('every compliance query parses (except the FAIL line that 2.42 rejects at parse time) and round-trips', async (t) => {
  t.equal(compliance.length, 539);
  const parseFailures: string[] = [];
  for (const { status, query } of compliance) {
    t.ok(status === 'OK' || status === 'FAIL', 'status column');
    const r = tryParse(query);
    if (!('expr' in r)) { parseFailures.push(query); continue; }
    const printed = printExpr(r.expr);
    t.same(plainUnordered(parseExpr(printed)), plainUnordered(r.expr), `${query} -> ${printed}`);
  }
  // The other FAIL lines (label_replace/label_join with bad regex or label names) fail at evaluation.
  t.same(parseFailures, ['{__name__=~".*"}']);
});

t.test('every eval line of the Prometheus 2.42 test scripts parses and round-trips', async (t) => {
  const dir = '/work/shared/promql-tests';
  let n = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.test'))) {
    for (const line of readFileSync(`${dir}/${f}`, 'utf8').split('\n')) {
      const m = /^\s*eval(?:_fail|_ordered)?\s+instant\s+at\s+\S+\s+(.+)$/.exec(line);
      if (m === null) continue;
      n++;
      const r = tryParse(m[1]!);
      if (!('expr' in r)) { t.fail(`${f}: ${m[1]}: ${r.error.message}`); continue; }
      t.same(plainUnordered(parseExpr(printExpr(r.expr))), plainUnordered(r.expr), `${f}: ${m[1]}`);
    }
  }
  t.equal(n, 423);
});
