import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './ports.js';

export const ATHANOR_BIN = fileURLToPath(new URL('../../bin/athanor.js', import.meta.url));

/** A running `athanor <command>` process. */
export interface AthanorProcess {
  readonly proc: ChildProcess;
  /** `http://127.0.0.1:<port>` from its "listening for HTTP" log line. */
  readonly base: string;
  readonly exited: Promise<number | null>;
  /** Everything it logged so far. */
  stderr(): string;
}

/**
 * Starts `node bin/athanor.js <command> --http-address=127.0.0.1:0 …args` and resolves once it
 * logged its HTTP address (and, with `ready`, once `/-/ready` answers 200). Rejects if it exits
 * first. `teardown` receives a kill so a failing test never leaks the process.
 */
export async function startAthanor(
  command: readonly string[], args: readonly string[],
  o: { teardown?: (fn: () => void) => void; ready?: boolean; readyTimeoutMs?: number } = {},
): Promise<AthanorProcess> {
  const proc = spawn(process.execPath, [ATHANOR_BIN, ...command, '--http-address=127.0.0.1:0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  o.teardown?.(() => { proc.kill('SIGKILL'); });
  let err = '';
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const base = await new Promise<string>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /msg="listening for HTTP".*address=([\d.]+:\d+)/.exec(err);
      if (m) resolve(`http://${m[1]}`);
    });
    void exited.then((c) => reject(new Error(`athanor ${command.join(' ')} exited ${c}: ${err}`)));
  });
  if (o.ready) await waitFor(`athanor ${command.join(' ')} ready`, async () => (await fetch(`${base}/-/ready`)).status === 200, o.readyTimeoutMs ?? 20_000);
  return { proc, base, exited, stderr: () => err };
}
