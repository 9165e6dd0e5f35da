import t from 'tap';
import { readFileSync } from 'node:fs';
import { flagsDocPath, renderFlagsDoc } from '../../scripts/flags-doc.js';

t.test('docs/flags.md matches the CLI --help output', async (t) => {
  const committed = readFileSync(flagsDocPath, 'utf8');
  t.equal(committed, await renderFlagsDoc(), 'run: node --import tsx scripts/flags-doc.ts --write');
});
