import type { Command } from '../../runtime/cli/command.js';
import { readCommands } from './bucket/read.js';
import { verifyCommand } from './bucket/verify.js';
import { writeCommands } from './bucket/write.js';

/**
 * `athanor tools bucket <ls|inspect|verify|upload-blocks|mark|cleanup>`: Thanos's bucket tools over
 * any objstore config (`--objstore.config-file` / `--objstore.config`).
 */
export const commands: Command[] = [...readCommands, verifyCommand, ...writeCommands];
