import { readFileSync } from 'node:fs';
import type { Command } from '../../runtime/cli/command.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const version: string = pkg.version;

export const commands: Command[] = [{
  path: ['version'],
  summary: 'print the athanor version',
  flags: {},
  async run(_f, _p, io) { io.stdout.write(`athanor ${version} (node ${process.version})\n`); return 0; },
}];
