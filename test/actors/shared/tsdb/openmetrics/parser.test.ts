import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenMetricsParser, OpenMetricsParseError, parseGoFloat, parseOpenMetricsFile, readOpenMetrics } from '../../../../../actors/shared/tsdb/openmetrics/index.js';
import { labelsToObject } from '../../../../../actors/shared/labels/labels.js';
import { floatToBits, GO_NAN_HI, GO_NAN_LO } from '../../../../../actors/shared/tsdb/chunkenc/index.js';
import { generateSeries, writeOpenMetrics } from '../../../../harness/openmetrics-gen.js';
import { runPromtool } from '../../../../harness/promtool.js';

t.test('generated input parses to exactly the generated samples, in input order', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'om-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const opts = { series: 3, hours: 2, stepSec: 60, specials: true, jitterMs: 700, families: 2 };
  const file = join(dir, 'in.om');
  writeOpenMetrics(file, opts, 4096);
  const expected: string[] = [];
  for (const s of generateSeries(opts)) {
    const lbl = JSON.stringify(Object.fromEntries(Object.entries(s.labels).filter(([, v]) => v !== '').sort(([a], [b]) => (a < b ? -1 : 1))));
    for (const x of s.samples) expected.push(`${lbl} ${x.t} ${Number.isNaN(x.v) ? 'NaN' : Object.is(x.v, -0) ? '-0' : x.v}`);
  }
  // Tiny read chunks exercise lines and UTF-8 split across chunk borders.
  const got: string[] = [];
  let nanBitsOk = true;
  const bits = [0, 0];
  for await (const batch of readOpenMetrics(file, { highWaterMark: 97 })) {
    for (const s of batch) {
      got.push(`${JSON.stringify(labelsToObject(s.labels))} ${s.t} ${Number.isNaN(s.v) ? 'NaN' : Object.is(s.v, -0) ? '-0' : s.v}`);
      if (Number.isNaN(s.v)) { floatToBits(s.v, bits); nanBitsOk &&= bits[0] === GO_NAN_HI && bits[1] === GO_NAN_LO; }
    }
  }
  t.equal(got.length, expected.length);
  t.ok(got.every((g, i) => g === expected[i]), 'same samples in the same order');
  t.ok(nanBitsOk, 'NaN carries Go NaN bits');
  const all = await parseOpenMetricsFile(file);
  t.equal(all.length, expected.length);
});

t.test('syntax details', async (t) => {
  const s = OpenMetricsParser.parseText([
    '# HELP a_seconds help with \\n and \\\\',
    '# TYPE a_seconds gauge',
    '# UNIT a_seconds seconds',
    'a_seconds{z="1",b="x\\"y\\\\z\\nw",e=""} -1.5e3 1700000000.123',
    'a_seconds{} +Inf -10.5',
    'c_total 1 1 # {trace_id="abc"} 2 1.5',
    'x:y NaN 0',
    '# EOF',
  ].join('\n'));
  t.same(labelsToObject(s[0]!.labels), { __name__: 'a_seconds', b: 'x"y\\z\nw', z: '1' });
  t.equal(s[0]!.v, -1500);
  t.equal(s[0]!.t, Math.trunc(1700000000.123 * 1000));
  t.equal(s[1]!.v, Infinity); t.equal(s[1]!.t, -10500);
  t.equal(s[2]!.t, 1000);
  t.ok(Number.isNaN(s[3]!.v));
  const p = new OpenMetricsParser();
  p.write(Buffer.from('# TYPE m counter\n# UNIT m_bytes bytes\nm_bytes 1 1\n# EOF\n'));
  p.end();
  t.same(p.metadata.get('m'), { type: 'counter' });
  t.same(p.metadata.get('m_bytes'), { unit: 'bytes' });

  t.equal(parseGoFloat('1.'), 1); t.equal(parseGoFloat('.5'), 0.5); t.equal(parseGoFloat('-Infinity'), -Infinity);
  t.equal(parseGoFloat('INF'), Infinity); t.equal(parseGoFloat('1e-400'), 0);
  for (const bad of ['', '.', '+', 'e5', '1e', '0x10', '1_000', '0x1p3', '+nan', '1e309', ' 1', 'infin', '--1']) t.equal(parseGoFloat(bad), undefined, `rejects "${bad}"`);
});

const malformed: [string, string, number, RegExp][] = [
  ['no EOF', 'm 1 1\n', 1, /does not end with # EOF/],
  ['data after EOF', 'm 1 1\n# EOF\nm 1 2\n', 3, /after # EOF/],
  ['blank line', 'm 1 1\n\nm 1 2\n# EOF\n', 2, /empty line/],
  ['plain comment', '# hello\n# EOF\n', 1, /comment must be/],
  ['bad type', '# TYPE m countr\n# EOF\n', 1, /invalid metric type/],
  ['unit not suffix', '# UNIT m_x bytes\n# EOF\n', 1, /not a suffix/],
  ['two spaces', 'm  1 1\n# EOF\n', 1, /expected value/],
  ['bad value', 'm{a="b"} 1,5 1\n# EOF\n', 1, /invalid value/],
  ['no timestamp', 'm 1\n# EOF\n', 1, /no timestamp/],
  ['NaN timestamp', 'm 1 NaN\n# EOF\n', 1, /invalid timestamp/],
  ['unterminated value', 'm{a="b} 1 1\n# EOF\n', 1, /unterminated label value|expected/],
  ['missing comma', 'm{a="b" c="d"} 1 1\n# EOF\n', 1, /expected comma/],
  ['trailing comma', 'm{a="b",} 1 1\n# EOF\n', 1, /expected label name/],
  ['duplicate label', 'm{a="b",a="c"} 1 1\n# EOF\n', 1, /not unique/],
  ['bad metric name', '1m 1 1\n# EOF\n', 1, /not a valid start/],
  ['exemplar on gauge', 'g 1 1 # {a="b"} 1\n# EOF\n', 1, /does not support exemplars/],
  ['trailing junk', 'm 1 1 x\n# EOF\n', 1, /expected next entry/],
];

t.test('malformed input: typed errors with line numbers, and promtool rejects the same input', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'om-bad-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text, line, msg] of malformed) {
    const body = `# TYPE ok gauge\nok 1 1\n${text}`;
    let err: unknown;
    try { OpenMetricsParser.parseText(body, 'in.om'); } catch (e) { err = e; }
    t.ok(err instanceof OpenMetricsParseError, `${name}: typed error`);
    const e = err as OpenMetricsParseError;
    t.equal(e.code, 'TSDB_OPENMETRICS_PARSE');
    t.equal((e.data as { line: number }).line, line + 2, `${name}: line number`);
    t.match(e.message, msg, `${name}: message`);
    const f = join(dir, `${name.replace(/\W/g, '_')}.om`);
    writeFileSync(f, body);
    const r = await runPromtool(['tsdb', 'create-blocks-from', 'openmetrics', '-q', f, join(dir, 'out')], true);
    t.not(r.code, 0, `${name}: promtool rejects it too`);
  }
  // Invalid UTF-8 is reported with its line.
  const p = new OpenMetricsParser('x.om');
  t.throws(() => p.write(Buffer.concat([Buffer.from('m 1 1\nm{a="'), Buffer.from([0xff]), Buffer.from('"} 1 1\n')])), { code: 'TSDB_OPENMETRICS_PARSE', data: { line: 2 } });
});
