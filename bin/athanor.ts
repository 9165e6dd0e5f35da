import { dispatch } from '../runtime/cli/dispatch.js';
import { commandsFor } from './commands/index.js';

// The one CLI: athanor <up|sidecar|store|query|compact|tools …>. Only wiring lives here.
// commandsFor imports only the module of the command being run (or asked for --help).
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => controller.abort(new Error(`received ${sig}`)));
}
const argv = process.argv.slice(2);
const code = await dispatch(await commandsFor(argv), argv, {
  stdout: process.stdout, stderr: process.stderr, signal: controller.signal,
});
process.exitCode = code;
