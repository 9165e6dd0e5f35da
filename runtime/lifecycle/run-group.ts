/**
 * A process is a run group (after oklog/run, as Thanos uses it): members start in the order they
 * were added; the first member whose `execute` returns or throws ends the group. Every other
 * member is then interrupted, one at a time in reverse order of adding (OTP shutdown order), and
 * the group waits for each one's `execute` to settle before interrupting the next. `run()`
 * resolves when the first member returned, or rejects with the error it threw.
 */
import { silentLogger, type Logger } from '../log/logger.js';

/** One member. `execute` must return once `signal` aborts or `interrupt` is called. */
export interface RunMember {
  readonly name: string;
  execute(signal: AbortSignal): Promise<void>;
  /** Optional extra stop action (the member's signal is aborted as well); errors are logged. */
  interrupt?(cause: unknown): void | Promise<void>;
}

/** Who ended the group. */
export interface RunResult {
  readonly first: string;
}

export class RunGroup {
  readonly #members: RunMember[] = [];
  readonly #log: Logger;
  #started = false;

  constructor(opts: { log?: Logger } = {}) { this.#log = opts.log ?? silentLogger(); }

  /** Adds a member; not allowed once `run()` was called. */
  add(name: string, execute: (signal: AbortSignal) => Promise<void>, interrupt?: (cause: unknown) => void | Promise<void>): void {
    this.addMember(interrupt ? { name, execute, interrupt } : { name, execute });
  }

  addMember(m: RunMember): void {
    if (this.#started) throw new Error(`adding run group member ${m.name}: group already running`);
    this.#members.push(m);
  }

  /** Runs every member; see the module comment for the contract. An empty group resolves at once. */
  async run(): Promise<RunResult> {
    if (this.#started) throw new Error('running run group: already running');
    this.#started = true;
    if (this.#members.length === 0) return { first: '' };
    type Outcome = { readonly index: number; readonly error?: { value: unknown } };
    let notifyFirst!: (o: Outcome) => void;
    const firstExit = new Promise<Outcome>((r) => { notifyFirst = r; });
    const controllers = this.#members.map(() => new AbortController());
    const settled = this.#members.map((m, index) => {
      let p: Promise<void>;
      try { p = Promise.resolve(m.execute(controllers[index]!.signal)); } catch (err) { p = Promise.reject(err); }
      return p.then(
        () => { notifyFirst({ index }); },
        (err: unknown) => { notifyFirst({ index, error: { value: err } }); },
      );
    });
    const first = await firstExit;
    const firstName = this.#members[first.index]!.name;
    if (first.error) this.#log.error({ member: firstName, err: first.error.value }, 'run group member failed; stopping the others');
    else this.#log.info({ member: firstName }, 'run group member exited; stopping the others');
    const cause = first.error ? first.error.value : new Error(`run group member ${firstName} exited`);
    for (let i = this.#members.length - 1; i >= 0; i--) {
      if (i === first.index) continue;
      const m = this.#members[i]!;
      controllers[i]!.abort(cause);
      try { await m.interrupt?.(cause); } catch (err) { this.#log.warn({ member: m.name, err }, 'interrupting run group member threw; ignoring'); }
      await settled[i];
    }
    if (first.error) throw first.error.value;
    return { first: firstName };
  }
}
