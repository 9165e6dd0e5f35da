import { dispatch } from '../runtime/cli/dispatch.js';
import { allCommands } from './commands/index.js';

// The one CLI: athanor <up|sidecar|store|query|compact|tools …>. Only wiring lives here.
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => controller.abort(new Error(`received ${sig}`)));
}
const code = await dispatch(await allCommands(), process.argv.slice(2), {
  stdout: process.stdout, stderr: process.stderr, signal: controller.signal,
});
process.exitCode = code;
