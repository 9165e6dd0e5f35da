import t from 'tap';
import { goDuration, goRfc3339, thousands } from '../../../../../actors/shared/block/tools/go-format.js';
import { renderCsv, renderTable, renderTsv } from '../../../../../actors/shared/block/tools/table.js';
import { parseFlagLabels } from '../../../../../actors/shared/block/tools/labels-flag.js';
import { inspectRows, inspectTable, untilNextDownsampling } from '../../../../../actors/shared/block/tools/inspect.js';
import { ProgressBar } from '../../../../../actors/shared/block/tools/progress.js';
import { PassThrough } from 'node:stream';
import type { BlockMeta } from '../../../../../actors/shared/tsdb/meta/types.js';

t.test('Go duration strings', async (t) => {
  const cases: [number, string][] = [[0, '0s'], [1, '1ms'], [999, '999ms'], [1000, '1s'], [1500, '1.5s'], [15_001, '15.001s'],
    [60_000, '1m0s'], [90_500, '1m30.5s'], [7_200_000, '2h0m0s'], [7_199_999, '1h59m59.999s'], [144_000_000, '40h0m0s'],
    [-5_400_000, '-1h30m0s'], [300_000, '5m0s'], [3_600_000, '1h0m0s']];
  for (const [ms, s] of cases) t.equal(goDuration(ms), s, `${ms}`);
});

t.test('RFC3339 at second precision and thousands separators', async (t) => {
  if (new Date(0).getTimezoneOffset() === 0) {
    t.equal(goRfc3339(1_600_000_000_999), '2020-09-13T12:26:40Z');
    t.equal(goRfc3339(0), '1970-01-01T00:00:00Z');
  }
  t.match(goRfc3339(1_600_000_000_000), /^2020-09-1\dT\d\d:\d\d:40(Z|[+-]\d\d:\d\d)$/);
  t.same([0, 7, 999, 1000, 1234567, 1_000_000_000].map(thousands), ['0', '7', '999', '1,000', '1,234,567', '1,000,000,000']);
});

t.test('table, csv and tsv rendering', async (t) => {
  const tb = { header: ['ULID', 'LABELS'], rows: [['A', 'a=1,b=2'], ['BBBBBB', '']] };
  t.equal(renderTable(tb), [
    '|  ULID  | LABELS  |',
    '|--------|---------|',
    '| A      | a=1,b=2 |',
    '| BBBBBB |         |',
  ].join('\n') + '\n');
  t.equal(renderCsv(tb), 'ULID,LABELS\nA,"a=1,b=2"\nBBBBBB,\n');
  t.equal(renderTsv(tb), 'ULID\tLABELS\nA\ta=1,b=2\nBBBBBB\t\n');
  t.equal(renderCsv({ header: ['x'], rows: [['say "hi"'], [' lead']] }), 'x\n"say ""hi"""\n" lead"\n');
});

t.test('label flags: Go-quoted or bare values, sorted; bad ones are config errors', async (t) => {
  t.same(parseFlagLabels(['z="1"', 'a=b', 'q=`raw"x`', 'e="tab\\tx"'], 'label'), { a: 'b', e: 'tab\tx', q: 'raw"x', z: '1' });
  t.same(Object.keys(parseFlagLabels(['b=1', 'a=2'], 'label')), ['a', 'b']);
  t.throws(() => parseFlagLabels(['novalue'], 'label'), { code: 'RT_CONFIG', message: /unrecognized label/ });
  t.throws(() => parseFlagLabels(['=x'], 'label'), { code: 'RT_CONFIG' });
  t.throws(() => parseFlagLabels(['a="open'], 'label'), { code: 'RT_CONFIG', message: /unquote/ });
});

const meta = (ulid: string, minTime: number, maxTime: number, labels: Record<string, string>, res = 0, level = 1): BlockMeta => ({
  ulid, minTime, maxTime, version: 1, stats: { numSeries: 1234, numSamples: 5_000_000, numChunks: 10 },
  compaction: { level }, thanos: { labels, downsample: { resolution: res }, source: 'compactor' },
});

t.test('inspect rows: cells, selector, sort order', async (t) => {
  const H = 3_600_000;
  const metas = [
    meta('01B00000000000000000000000', 2 * H, 4 * H, { b: '2', a: '1' }),
    meta('01A00000000000000000000000', 0, 2 * H, { a: '1' }, 300_000, 3),
    meta('01C00000000000000000000000', 0, 2 * H, { a: '2' }, 3_600_000),
  ];
  const rows = inspectRows(metas, {}, ['FROM', 'UNTIL']);
  t.same(rows.map((r) => r.meta.ulid), ['01A00000000000000000000000', '01C00000000000000000000000', '01B00000000000000000000000'], 'FROM, UNTIL, then ULID');
  const cells = rows[2]!.cells;
  t.same(cells.slice(3), ['2h0m0s', '38h0m0s', '1,234', '5,000,000', '10', '1', 'false', 'a=1,b=2', '0s', 'compactor']);
  t.equal(rows[0]!.cells[4], '238h0m0s', '5m blocks count down to 10d');
  t.equal(rows[0]!.cells[11], '5m0s');
  t.equal(rows[1]!.cells[4], '-', '1h blocks are not downsampled further');
  t.equal(untilNextDownsampling(metas[2]!), undefined);
  t.same(inspectRows(metas, { a: '1' }, ['FROM']).map((r) => r.meta.ulid), ['01A00000000000000000000000', '01B00000000000000000000000']);
  t.same(inspectRows(metas, { a: '1', b: '2' }, ['FROM']).map((r) => r.meta.ulid), ['01B00000000000000000000000']);
  t.same(inspectRows(metas, {}, ['COMP-LEVEL', 'ULID']).map((r) => r.meta.compaction.level), [1, 1, 3], 'numbers compare by value');
  t.equal(inspectTable(rows).header.length, 13);
});

t.test('progress bar: drawn on a TTY only, erased when done', async (t) => {
  const text = (tty: boolean) => {
    const out = new PassThrough();
    let s = '';
    out.on('data', (d: Buffer) => { s += d.toString(); });
    Object.assign(out, { isTTY: tty });
    const bar = new ProgressBar(out, 'x');
    bar.update(1, 4);
    bar.update(4, 4);
    bar.done();
    return s;
  };
  t.equal(text(false), '');
  t.equal(text(true), `\rx [${'#'.repeat(8)}${' '.repeat(22)}] 1/4\rx [${'#'.repeat(30)}] 4/4\r\x1b[2K`);
});
