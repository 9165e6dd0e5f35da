// Every error code defined in runtime/ and actors/ must have a row in docs/errors.md, with the
// same retryable default. Other engineers add rows for their codes.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

interface Defined { code: string; retryable: boolean; where: string }

/** `defineRuntimeError('CODE', true|false …)` / `defineDomainError(…)` calls outside comments. */
function definedCodes(files: string[]): Defined[] {
  const re = /define(?:Runtime|Domain)Error\(\s*['"]([A-Z][A-Z0-9_]*)['"]\s*,\s*(true|false)/gu;
  const found: Defined[] = [];
  for (const f of files) {
    const lines = readFileSync(f, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const trimmed = line.trim();
      if (trimmed.startsWith('*') || trimmed.startsWith('//') || trimmed.startsWith('/*')) return;
      for (const m of line.matchAll(re)) found.push({ code: m[1]!, retryable: m[2] === 'true', where: `${relative(root, f)}:${i + 1}` });
    });
  }
  return found;
}

/** Rows `| \`CODE\` | class | yes|no | …` of docs/errors.md → retryable. */
function documented(md: string): Map<string, boolean> {
  const rows = new Map<string, boolean>();
  for (const m of md.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|[^|]*\|\s*(yes|no)\s*\|/gmu)) rows.set(m[1]!, m[2] === 'yes');
  return rows;
}

t.test('docs/errors.md lists every error code with its retryable default', async (t) => {
  const defined = definedCodes([...sources(join(root, 'runtime')), ...sources(join(root, 'actors'))]);
  const doc = documented(readFileSync(join(root, 'docs/errors.md'), 'utf8'));
  t.ok(defined.length >= 14, `found ${defined.length} define calls`);
  t.ok(defined.some((d) => d.code === 'RT_MAILBOX_FULL'), 'runtime codes are scanned');
  for (const d of defined) {
    const row = doc.get(d.code);
    t.not(row, undefined, `${d.code} (${d.where}) has a row in docs/errors.md`);
    if (row !== undefined) t.equal(row, d.retryable, `${d.code}: retryable in docs/errors.md matches ${d.where}`);
  }
  const codes = defined.map((d) => d.code);
  t.same([...new Set(codes)].length, codes.length, 'no code is defined twice');
});
