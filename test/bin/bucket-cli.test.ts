// `athanor tools bucket …` as a real process over promtool-made blocks: FILESYSTEM buckets in temp
// dirs and S3 through s3rver.
import t from 'tap';
import { spawn } from 'node:child_process';
import { access, cp, mkdir, mkdtemp, readFile, rm, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ulid } from 'ulid';
import { createBucket } from '../../actors/shared/objstore/factory.js';
import { objstoreConfigFrom } from '../../actors/shared/objstore/config.js';
import { collect } from '../../actors/shared/objstore/body.js';
import { createBlocksFromOpenMetrics, promtoolDump } from '../harness/promtool.js';
import { openMetricsText } from '../harness/openmetrics-gen.js';
import { startS3rver } from '../harness/s3rver.js';

const bin = fileURLToPath(new URL('../../bin/athanor.js', import.meta.url));

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs `athanor tools bucket <args>` and collects its output. */
function bucket(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, 'tools', 'bucket', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const exists = (p: string) => access(p).then(() => true, () => false);

const work = await mkdtemp(join(tmpdir(), 'athanor-bucket-cli-'));
t.teardown(() => rm(work, { recursive: true, force: true }));
await writeFile(join(work, 'in.om'), openMetricsText({ hours: 6, series: 3 }));
const data = join(work, 'data');
const ids = (await createBlocksFromOpenMetrics(join(work, 'in.om'), data)).sort();

/** A FILESYSTEM bucket config file in a fresh temp dir. */
async function fsBucket(name: string): Promise<{ dir: string; flag: string }> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  const file = join(work, `${name}.yml`);
  await writeFile(file, `type: FILESYSTEM\nconfig:\n  directory: ${dir}\n`);
  return { dir, flag: `--objstore.config-file=${file}` };
}

t.test('promtool made at least three blocks', async (t) => { t.ok(ids.length >= 3, `${ids.length} blocks`); });

t.test('FILESYSTEM: upload-blocks, then ls and inspect show the blocks with their labels; verify is clean', async (t) => {
  const b = await fsBucket('fs1');
  const up = await bucket(['upload-blocks', b.flag, `--path=${data}`, '--label=cluster="eu-1"', '--label=replica=a']);
  t.equal(up.code, 0, up.stderr);
  t.same(up.stdout.trim().split('\n'), [...ids.map((id) => `uploaded ${id}`), `uploaded ${ids.length} blocks`]);
  const again = await bucket(['upload-blocks', b.flag, `--path=${data}`, '--label=cluster="eu-1"']);
  t.match(again.stdout, `skipped ${ids[0]}: already in the bucket`);
  t.match(again.stdout, 'uploaded 0 blocks');

  // Read-only commands run side by side.
  const [ls, wide, json, table, ij, none, v, dropped] = await Promise.all([
    bucket(['ls', b.flag]), bucket(['ls', b.flag, '-o', 'wide']), bucket(['ls', b.flag, '--output=json']), bucket(['inspect', b.flag]),
    bucket(['inspect', b.flag, '--output=json', '-l', 'cluster="eu-1"']), bucket(['inspect', b.flag, '--output=csv', '--selector=cluster="us"']),
    bucket(['verify', b.flag]), bucket(['ls', b.flag, '--selector.relabel-config=- {action: drop, source_labels: [cluster], regex: eu-1}']),
  ]);
  t.equal(dropped.code, 0, dropped.stderr);
  t.equal(dropped.stdout, '', 'the selector relabel config drops every block');
  t.equal(ls.code, 0);
  t.same(ls.stdout.trim().split('\n'), ids);
  t.match(wide.stdout, new RegExp(`^${ids[0]} -- \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ - .* Diff: \\S+, Compaction: 1, Downsample: 0, Source: bucket.upload$`, 'm'));
  const metas = json.stdout.split(/\n(?=\{)/).map((s) => JSON.parse(s) as { ulid: string; thanos: { labels: Record<string, string> } });
  t.same(metas.map((m) => m.ulid), ids);
  t.same(metas[0]!.thanos.labels, { cluster: 'eu-1', replica: 'a' });

  t.equal(table.code, 0, table.stderr);
  t.equal(table.stderr, '', 'no progress bar when stderr is not a terminal');
  const lines = table.stdout.trimEnd().split('\n');
  t.match(lines[0], /^\|\s+ULID\s+\|\s+FROM\s+\|\s+UNTIL\s+\|\s+RANGE\s+\|\s+UNTIL-DOWN\s+\|\s+#SERIES\s+\|\s+#SAMPLES\s+\|\s+#CHUNKS\s+\|\s+COMP-LEVEL\s+\|\s+COMP-FAILED\s+\|\s+LABELS\s+\|\s+RESOLUTION\s+\|\s+SOURCE\s+\|$/);
  t.match(lines[1], /^\|(-+\|){13}$/);
  t.equal(lines.length, 2 + ids.length);
  t.same(lines.slice(2).map((l) => l.split('|')[1]!.trim()), ids, 'sorted by FROM, UNTIL');
  t.match(lines[2], /\| cluster=eu-1,replica=a \| 0s\s+\| bucket.upload \|$/);

  const rows = JSON.parse(ij.stdout) as Array<{ ulid: string; labels: Record<string, string>; numSamples: number; compactionLevel: number }>;
  t.same(rows.map((r) => r.ulid), ids);
  t.same(rows[0]!.labels, { cluster: 'eu-1', replica: 'a' });
  t.ok(rows.every((r) => r.numSamples > 0 && r.compactionLevel === 1));
  t.same(none.stdout.trim().split('\n'), ['ULID,FROM,UNTIL,RANGE,UNTIL-DOWN,#SERIES,#SAMPLES,#CHUNKS,COMP-LEVEL,COMP-FAILED,LABELS,RESOLUTION,SOURCE']);

  t.equal(v.code, 0, v.stdout + v.stderr);
  t.match(v.stdout, `verified ${ids.length} blocks: 0 issues`);
});

t.test('FILESYSTEM: verify reports an overlap, a missing chunk file and a truncated index, and exits 1', async (t) => {
  const b = await fsBucket('fs2');
  t.equal((await bucket(['upload-blocks', b.flag, `--path=${data}`, '--label=cluster="eu-1"'])).code, 0);
  const [a, m, x] = ids as [string, string, string];
  // An overlap: a copy of block a under another ULID (same group, same time range).
  const copy = ulid();
  await cp(join(b.dir, a), join(b.dir, copy), { recursive: true });
  const meta = JSON.parse(await readFile(join(b.dir, copy, 'meta.json'), 'utf8')) as { ulid: string };
  meta.ulid = copy;
  await writeFile(join(b.dir, copy, 'meta.json'), JSON.stringify(meta));
  await unlink(join(b.dir, m, 'chunks', '000001'));
  await truncate(join(b.dir, x, 'index'), 100);

  const [v, only] = await Promise.all([bucket(['verify', b.flag]), bucket(['verify', b.flag, '--issues=overlapped_blocks', `--id=${m}`])]);
  t.equal(v.code, 1);
  t.match(v.stderr, /^athanor tools bucket verify: found \d+ issues in 4 of \d+ blocks \[BUCKET_VERIFY_ISSUES\]$/m);
  const out = v.stdout;
  t.match(out, `${a} overlapped_blocks: overlaps block ${copy}`);
  t.match(out, `${copy} overlapped_blocks: overlaps block ${a}`);
  t.match(out, `${m} block_files: missing file chunks/000001 (listed in meta.json)`);
  t.match(out, `${m} index_known_issues: series {`, 'chunk refs into the missing segment');
  t.match(out, new RegExp(`${x} block_files: size mismatch of index: 100 bytes in the bucket, \\d+ in meta.json`));
  t.match(out, `${x} index_known_issues: index unreadable`);
  t.notMatch(out, new RegExp(`${ids[3] ?? 'none'} `), 'untouched blocks have no issues');

  t.equal(only.code, 0, 'the selected block has no issue of the selected kind');
});

t.test('FILESYSTEM: mark then cleanup deletes after the delay; old partial uploads go too', async (t) => {
  const b = await fsBucket('fs3');
  t.equal((await bucket(['upload-blocks', b.flag, `--path=${data}`, '--label=cluster="eu-1"'])).code, 0);
  const [bad, mk, nc, missing] = await Promise.all([
    bucket(['mark', b.flag, `--id=${ids[0]}`, '--marker=deletion-mark.json']),
    bucket(['mark', b.flag, `--id=${ids[0]}`, '--marker=deletion-mark.json', '--details=test']),
    bucket(['mark', b.flag, `--id=${ids[1]}`, '--marker=no-compact-mark.json', '--details=keep']),
    bucket(['mark', b.flag, `--id=${ulid()}`, '--marker=deletion-mark.json', '--details=x']),
  ]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, 'required flag --details not provided');
  t.equal(mk.code, 0, mk.stderr);
  t.match(mk.stdout, `marked ${ids[0]} with deletion-mark.json`);
  t.match(JSON.parse(await readFile(join(b.dir, ids[1]!, 'no-compact-mark.json'), 'utf8')), { id: ids[1], version: 1, details: 'keep', reason: 'manual' });
  t.equal(nc.code, 0);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /no such block in the bucket \[BUCKET_BLOCK_NOT_FOUND\]/);

  // A partial upload (chunks only) last modified three days ago, and a fresh one.
  const oldPartial = ulid(Date.now() - 4 * 86_400_000), freshPartial = ulid();
  for (const p of [oldPartial, freshPartial]) {
    await mkdir(join(b.dir, p, 'chunks'), { recursive: true });
    await writeFile(join(b.dir, p, 'chunks', '000001'), 'x');
  }
  const past = new Date(Date.now() - 3 * 86_400_000);
  await utimes(join(b.dir, oldPartial, 'chunks', '000001'), past, past);

  const [keep, dry, rmk] = await Promise.all([
    bucket(['cleanup', b.flag, '--dry-run']), bucket(['cleanup', b.flag, '--delete-delay=0s', '--dry-run']),
    bucket(['mark', b.flag, `--id=${ids[1]}`, '--marker=no-compact-mark.json', '--remove']),
  ]);
  t.match(rmk.stdout, `removed no-compact-mark.json of ${ids[1]}`);
  t.equal(keep.code, 0, keep.stderr);
  const oldLine = `partial block ${oldPartial} (last modified ${past.toISOString().slice(0, 19)}Z)`;
  t.same(keep.stdout.trim().split('\n'), [`would delete ${oldLine}`, 'would delete 1 blocks'], 'the fresh mark waits for the 48h delay');
  t.same(dry.stdout.trim().split('\n').map((l) => l.replace(/ \(marked.*\)$/, '')), [`would delete block ${ids[0]}`, `would delete ${oldLine}`, 'would delete 2 blocks']);
  t.equal(await exists(join(b.dir, ids[0]!, 'meta.json')), true, 'dry runs delete nothing');
  const run = await bucket(['cleanup', b.flag, '--delete-delay=0s']);
  t.equal(run.code, 0, run.stderr);
  t.same(run.stdout.trim().split('\n').map((l) => l.replace(/ \(marked.*\)$/, '')), [`deleted block ${ids[0]}`, `deleted ${oldLine}`, 'deleted 2 blocks']);
  t.equal(await exists(join(b.dir, oldPartial)), false);
  t.equal(await exists(join(b.dir, freshPartial, 'chunks', '000001')), true, 'a fresh partial upload stays');
  const [after, late] = await Promise.all([bucket(['ls', b.flag]), bucket(['ls', b.flag, '--min-time=0s'])]);
  t.same(after.stdout.trim().split('\n'), ids.slice(1));
  t.equal(late.stdout, '', 'time filter: nothing after now');
});

t.test('S3 (s3rver): upload-blocks, ls, download, promtool dump equal to the source blocks', async (t) => {
  const s3 = await startS3rver(['blocks']);
  t.teardown(() => s3.stop());
  const conf = `--objstore.config=${JSON.stringify({ type: 'S3', config: s3.config('blocks') })}`;
  const up = await bucket(['upload-blocks', conf, `--path=${data}`, '--label=cluster="eu-1"']);
  t.equal(up.code, 0, up.stderr);
  const [ls, v] = await Promise.all([bucket(['ls', conf]), bucket(['verify', conf])]);
  t.same(ls.stdout.trim().split('\n'), ids);
  t.equal(v.code, 0, v.stdout + v.stderr);

  const bkt = createBucket(objstoreConfigFrom({ type: 'S3', config: s3.config('blocks') }, 'test'));
  t.teardown(() => bkt.close());
  const down = join(work, 'down');
  for await (const name of bkt.iter('', { recursive: true })) {
    await mkdir(join(down, name, '..'), { recursive: true });
    await writeFile(join(down, name), await collect(await bkt.get(name)));
  }
  t.equal(await promtoolDump(down), await promtoolDump(data), 'lossless round trip');

  const mk = await bucket(['mark', conf, `--id=${ids[0]}`, '--marker=deletion-mark.json', '--details=gone']);
  t.equal(mk.code, 0, mk.stderr);
  const c = await bucket(['cleanup', conf, '--delete-delay=0s']);
  t.match(c.stdout, `deleted block ${ids[0]}`);
  t.same((await bucket(['ls', conf])).stdout.trim().split('\n'), ids.slice(1));
  t.equal(await bkt.exists(`${ids[0]}/index`), false);
});
