/**
 * The one error base of athanor. Every error that crosses a module boundary is a CodedError:
 * a stable machine-readable `code`, a `retryable` flag callers may act on, optional plain `data`,
 * and a `cause` chain. Errors survive a trip over the wire: `toWire()` produces plain data,
 * `fromWire()` rebuilds the registered class for that code (or a generic `RemoteError`).
 *
 * Conventions: messages say what was being done, lowercase, without "failed to"; codes are
 * UPPER_SNAKE with a layer prefix (`RT_` runtime, `TSDB_`, `OBJSTORE_`, `PROMQL_`, `STORE_`, …).
 */
export interface WireError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly data?: Record<string, unknown>;
}

export interface CodedErrorOptions extends ErrorOptions {
  /** Plain, serialisable details (file, offset, subject…). */
  readonly data?: Record<string, unknown>;
  /** Overrides the class default. */
  readonly retryable?: boolean;
}

export abstract class CodedError extends Error {
  abstract readonly code: string;
  readonly retryable: boolean;
  readonly data: Record<string, unknown> | undefined;

  constructor(message: string, options: CodedErrorOptions = {}, defaultRetryable = false) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? defaultRetryable;
    this.data = options.data;
  }

  toWire(): WireError {
    const w: WireError = { name: this.name, code: this.code, message: this.message, retryable: this.retryable };
    return this.data === undefined ? w : { ...w, data: this.data };
  }
}

/** An error received over the wire whose code has no registered class in this process. */
export class RemoteError extends CodedError {
  readonly code: string;
  readonly remoteName: string;
  constructor(wire: WireError) {
    super(wire.message, { data: wire.data, retryable: wire.retryable });
    this.code = wire.code;
    this.remoteName = wire.name;
  }
}

type Rebuilder = (wire: WireError) => CodedError;
const rebuilders = new Map<string, Rebuilder>();

/**
 * Registers how to rebuild errors with `code` after a wire trip. Call at module load of the
 * module that defines the class; registering a code twice with different functions throws.
 */
export function registerWireError(code: string, rebuild: Rebuilder): void {
  const prev = rebuilders.get(code);
  if (prev !== undefined && prev !== rebuild) throw new Error(`wire error code registered twice: ${code}`);
  rebuilders.set(code, rebuild);
}

/** Rebuilds an error from wire data; unknown codes become RemoteError with the same fields. */
export function fromWire(wire: WireError): CodedError {
  const rebuild = rebuilders.get(wire.code);
  const err = rebuild ? rebuild(wire) : new RemoteError(wire);
  return err;
}

/** Converts anything thrown into wire form; non-coded errors become code `INTERNAL`. */
export function toWire(err: unknown): WireError {
  if (err instanceof CodedError) return err.toWire();
  const message = err instanceof Error ? err.message : String(err);
  return { name: 'Error', code: 'INTERNAL', message, retryable: false };
}

/** Validates unknown data as a WireError (decode boundary). */
export function isWireError(x: unknown): x is WireError {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.name === 'string' && typeof o.code === 'string' && typeof o.message === 'string'
    && typeof o.retryable === 'boolean' && (o.data === undefined || (typeof o.data === 'object' && o.data !== null));
}

/** `RT_MAILBOX_FULL` → `MailboxFullError`: drops the layer prefix, PascalCases the rest. */
export function errorNameFromCode(code: string): string {
  return code.split('_').slice(1).map((s) => s[0]!.toUpperCase() + s.slice(1).toLowerCase()).join('') + 'Error';
}

/** True when `err` is a CodedError marked retryable. */
export function isRetryable(err: unknown): boolean {
  return err instanceof CodedError && err.retryable;
}
