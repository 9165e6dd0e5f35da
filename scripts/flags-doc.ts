// Renders docs/flags.md from the CLI's own --help text, so the doc cannot drift:
//   node --import tsx scripts/flags-doc.ts --write
// test/docs/flags-doc.test.ts fails when the committed file differs from this rendering.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandHelp } from '../runtime/cli/command.js';
import { allCommands } from '../bin/commands/index.js';

export const flagsDocPath = fileURLToPath(new URL('../docs/flags.md', import.meta.url));

export async function renderFlagsDoc(): Promise<string> {
  const cmds = [...await allCommands()].sort((a, b) => a.path.join(' ').localeCompare(b.path.join(' ')));
  const parts = ['# Flags', '', 'Generated from `athanor <command> --help` by `scripts/flags-doc.ts`; do not edit by hand.', ''];
  for (const c of cmds) parts.push(`## athanor ${c.path.join(' ')}`, '', '```', commandHelp(c).trimEnd(), '```', '');
  return parts.join('\n');
}

if (process.argv.includes('--write')) writeFileSync(flagsDocPath, await renderFlagsDoc());
