// Echo tap's TAP stream and close with one plain line: "N passed, N failed[, N skipped]".
import { createInterface } from 'node:readline';

let last = null;
for await (const line of createInterface({ input: process.stdin })) {
  console.log(line);
  const m = /^# \{ (total: \d+.*) \}$/.exec(line);
  if (m) last = Object.fromEntries(m[1].split(', ').map((kv) => { const [k, v] = kv.split(': '); return [k, Number(v)]; }));
}
if (!last) { console.log('0 passed, 1 failed'); process.exit(1); }
const skipped = (last.skip ?? 0) + (last.todo ?? 0);
console.log(`${last.pass ?? 0} passed, ${last.fail ?? 0} failed${skipped ? `, ${skipped} skipped` : ''}`);
