// Parses generated OpenMetrics (escaped label values, NaN/±Inf/-0, fractional-second timestamps) and
// compares every (labels, t, v) with what `promtool tsdb dump` prints for promtool's blocks of the
// same file: proves label unescaping, timestamp conversion and float parsing match promtool.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOpenMetrics } from '../../../../../actors/shared/tsdb/openmetrics/index.js';
import type { Labels } from '../../../../../actors/shared/labels/labels.js';
import { createBlocksFromOpenMetrics, parseDump, promtoolDump } from '../../../../harness/promtool.js';
import { writeOpenMetrics } from '../../../../harness/openmetrics-gen.js';

// Go labels.String(): {a="b", c="d"} with strconv.Quote (same as JSON for the printable ASCII used here).
const labelString = (ls: Labels): string => `{${ls.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
const num = (v: number): string => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v));

t.test('parsed samples equal promtool dump of promtool blocks', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'om-parity-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const input = join(dir, 'in.om');
  writeOpenMetrics(input, { series: 3, hours: 3, stepSec: 30, specials: true, jitterMs: 999, seed: 5 });
  await createBlocksFromOpenMetrics(input, join(dir, 'data'));
  const ours: string[] = [];
  for await (const batch of readOpenMetrics(input)) for (const s of batch) ours.push(`${labelString(s.labels)} ${num(s.v)} ${s.t}`);
  const theirs = parseDump(await promtoolDump(join(dir, 'data'))).map((s) => `${s.labels} ${num(s.v)} ${s.t}`);
  t.equal(ours.length, theirs.length, `${ours.length} samples`);
  ours.sort(); theirs.sort();
  const firstDiff = ours.findIndex((x, i) => x !== theirs[i]);
  t.equal(firstDiff, -1, firstDiff < 0 ? 'identical' : `first difference: ${ours[firstDiff]} vs ${theirs[firstDiff]}`);
});
