// Seeded random mutation of generated OpenMetrics text: the parser returns samples or throws
// OpenMetricsParseError with a line number inside the input — nothing else.
import t from 'tap';
import { OpenMetricsParser, OpenMetricsParseError } from '../../../../../actors/shared/tsdb/openmetrics/index.js';
import { openMetricsText } from '../../../../harness/openmetrics-gen.js';

t.test('mutated text: samples or typed errors only', async (t) => {
  const text = Buffer.from(openMetricsText({ series: 1, hours: 1, stepSec: 300, specials: true }));
  const lines = text.toString().split('\n').length;
  const alphabet = Buffer.from(' \n#{}",=\\0123456789.eE+-NaInfabc_:\xff');
  let a = 7;
  const r = (): number => { a = (Math.imul(a, 1103515245) + 12345) >>> 0; return a / 2 ** 32; };
  let ok = 0, bad = 0;
  for (let k = 0; k < 3000; k++) {
    const m = Buffer.from(text);
    for (let j = 0; j < 1 + (k % 3); j++) m[Math.floor(r() * m.length)] = alphabet[Math.floor(r() * alphabet.length)]!;
    const p = new OpenMetricsParser('fuzz.om');
    try {
      for (let o = 0; o < m.length; o += 64) p.write(m.subarray(o, o + 64));
      p.end();
      ok++;
    } catch (e) {
      if (!(e instanceof OpenMetricsParseError)) { t.fail(`unexpected ${String(e)}`); break; }
      const line = (e.data as { line: number }).line;
      if (!(line >= 0 && line <= lines + 1)) { t.fail(`line ${line} outside input`); break; }
      bad++;
    }
  }
  t.ok(ok > 0 && bad > 0, `parsed ${ok}, rejected ${bad}`);
});
