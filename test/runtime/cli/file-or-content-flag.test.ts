// The Thanos-style `--x-file` / `--x` flag pair: declaration and reading.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { fileOrContentFlag, yamlConfigFlags } from '../../../runtime/cli/command.js';
import { ConfigError } from '../../../runtime/errors/runtime-errors.js';

class CustomError extends Error {}
const custom = (m: string) => new CustomError(m);

t.test('reads the file or the inline content, and refuses both, repeats and unreadable files', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'flag-pair-'));
  const file = join(dir, 'c.yaml');
  await writeFile(file, 'type: X\n');
  t.equal(await fileOrContentFlag({}, 'c.config-file', 'c.config', 'c config'), undefined, 'neither set');
  t.same(await fileOrContentFlag({ 'c.config': 'type: Y' }, 'c.config-file', 'c.config', 'c config'), { text: 'type: Y', source: 'flag --c.config' });
  t.same(await fileOrContentFlag({ 'c.config-file': file }, 'c.config-file', 'c.config', 'c config'), { text: 'type: X\n', source: `c config file ${file}` });
  await t.rejects(fileOrContentFlag({ 'c.config-file': file, 'c.config': 'x' }, 'c.config-file', 'c.config', 'c config'),
    ConfigError, 'both set: ConfigError by default');
  await t.rejects(fileOrContentFlag({ 'c.config-file': [file, file] }, 'c.config-file', 'c.config', 'c config', custom),
    new CustomError('flag --c.config-file expects one path'));
  await t.rejects(fileOrContentFlag({ 'c.config': ['a', 'b'] }, 'c.config-file', 'c.config', 'c config', custom),
    new CustomError('flag --c.config expects one value'));
  await t.rejects(fileOrContentFlag({ 'c.config-file': join(dir, 'missing') }, 'c.config-file', 'c.config', 'c config', custom),
    { constructor: CustomError, message: /^reading c config file .*missing/ });
});

t.test('yamlConfigFlags declares both flags of the pair', async (t) => {
  t.same(yamlConfigFlags('c.config', 'c thing', '(some format).'), {
    'c.config-file': { type: 'string', placeholder: '<file-path>', description: 'Path to the YAML file of the c thing configuration (some format).' },
    'c.config': { type: 'string', placeholder: '<content>', description: 'Alternative to --c.config-file: the YAML content of the c thing configuration.' },
  });
});
