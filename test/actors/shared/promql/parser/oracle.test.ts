import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tryParse } from '../../../../../actors/shared/promql/parser/index.js';
import { freePort, waitFor } from '../../../../harness/ports.js';
import { mutateQuery, rng } from './mutate.js';

const PROMETHEUS = '/usr/bin/prometheus';

/**
 * Differential test against the real Prometheus 2.42 binary: its /api/v1/format_query endpoint
 * parses a query and returns the parse error or the formatted query. Accept/reject must agree.
 */
t.test('accept/reject agrees with Prometheus 2.42', { skip: existsSync(PROMETHEUS) ? false : 'no prometheus binary' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'promql-oracle-'));
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  const proc = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  t.teardown(() => { proc.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); });
  const base = `http://127.0.0.1:${port}`;
  await waitFor('prometheus ready', async () => (await fetch(`${base}/-/ready`)).ok, 30_000, 100);

  const edge = readFileSync(new URL('./fixtures/edge-queries.txt', import.meta.url), 'utf8').split('\n').filter((l) => l !== '');
  const seeds = readFileSync('/work/shared/compliance/expanded-queries.txt', 'utf8').split('\n').filter((l) => l !== '')
    .map((l) => l.slice(l.indexOf('\t') + 1));
  const r = rng(42);
  const fuzzed = Array.from({ length: 400 }, () => mutateQuery(seeds[Math.floor(r() * seeds.length)]!, seeds, r))
    .filter((q) => !q.includes('\u0000'));
  let sameMessage = 0; let rejected = 0;
  for (const q of [...edge, ...fuzzed]) {
    const res = await fetch(`${base}/api/v1/format_query`, { method: 'POST', body: new URLSearchParams({ query: q }) });
    const body = await res.json() as { status: string; error?: string };
    const ours = tryParse(q);
    const promOk = body.status === 'success';
    t.equal('expr' in ours, promOk, `${JSON.stringify(q)}: prometheus ${promOk ? 'accepts' : `rejects (${body.error})`}`);
    if (!promOk && 'error' in ours) {
      rejected++;
      if (body.error === `invalid parameter "query": ${ours.error.message}`) sameMessage++;
    }
  }
  t.comment(`identical error messages for ${sameMessage} of ${rejected} rejected queries`);
  t.ok(sameMessage / rejected > 0.85, 'most error messages are identical');
});
