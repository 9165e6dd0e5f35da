/**
 * The signal member: ends the run group cleanly when the process receives SIGINT or SIGTERM.
 * Its `execute` resolves (not rejects) on a signal, so `RunGroup.run()` resolves and the process
 * exits 0 after the others stopped; it also resolves when the group interrupts it.
 */
import type { RunMember } from './run-group.js';
import { silentLogger, type Logger } from '../log/logger.js';

/** The part of `process` the member needs (injectable for tests). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface SignalMemberOptions {
  readonly signals?: readonly NodeJS.Signals[];
  readonly source?: SignalSource;
  readonly log?: Logger;
  /** Called with the signal that arrived, before the member returns. */
  readonly onSignal?: (signal: NodeJS.Signals) => void;
}

export function signalMember(opts: SignalMemberOptions = {}): RunMember {
  const signals = opts.signals ?? ['SIGINT', 'SIGTERM'];
  const source: SignalSource = opts.source ?? process;
  const log = opts.log ?? silentLogger();
  return {
    name: 'signals',
    execute(signal: AbortSignal): Promise<void> {
      return new Promise<void>((resolve) => {
        const handlers = new Map<NodeJS.Signals, () => void>();
        const done = (): void => {
          for (const [s, h] of handlers) source.off(s, h);
          signal.removeEventListener('abort', done);
          resolve();
        };
        for (const s of signals) {
          const h = (): void => { log.info({ signal: s }, 'caught signal; shutting down'); opts.onSignal?.(s); done(); };
          handlers.set(s, h);
          source.on(s, h);
        }
        if (signal.aborted) done();
        else signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}
