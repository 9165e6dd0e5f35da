import { DecodeError } from '../errors/runtime-errors.js';

/**
 * Small helpers for validating decoded `unknown` messages (the decode boundary). Each `expect*`
 * throws DecodeError naming `what` and the field; messages are plain data with a `kind` tag.
 */
export type Rec = Record<string, unknown>;

export function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** Asserts `x` is an object whose `kind` is one of `kinds`; returns it typed as a record. */
export function expectKind<K extends string>(x: unknown, kinds: readonly K[], what: string): Rec & { kind: K } {
  if (!isRecord(x)) throw new DecodeError(`decoding ${what}: expected an object, got ${describe(x)}`, { data: { what } });
  const k = x.kind;
  if (typeof k !== 'string' || !(kinds as readonly string[]).includes(k)) {
    throw new DecodeError(`decoding ${what}: unknown kind ${JSON.stringify(k)}, want one of ${kinds.join('|')}`, { data: { what, kind: String(k) } });
  }
  return x as Rec & { kind: K };
}

export function expectRecord(x: unknown, what: string): Rec {
  if (!isRecord(x)) throw new DecodeError(`decoding ${what}: expected an object, got ${describe(x)}`, { data: { what } });
  return x;
}

export function expectString(o: Rec, field: string, what: string): string {
  const v = o[field];
  if (typeof v !== 'string') throw fieldError(what, field, 'a string', v);
  return v;
}

export function expectNumber(o: Rec, field: string, what: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw fieldError(what, field, 'a finite number', v);
  return v;
}

/** A non-negative safe integer, optionally bounded above. */
export function expectInt(o: Rec, field: string, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) throw fieldError(what, field, `an integer in [0, ${max}]`, v);
  return v;
}

export function expectBoolean(o: Rec, field: string, what: string): boolean {
  const v = o[field];
  if (typeof v !== 'boolean') throw fieldError(what, field, 'a boolean', v);
  return v;
}

export function expectBytes(o: Rec, field: string, what: string): Uint8Array {
  const v = o[field];
  if (!(v instanceof Uint8Array)) throw fieldError(what, field, 'bytes', v);
  return v;
}

export function optionalString(o: Rec, field: string, what: string): string | undefined {
  return o[field] === undefined ? undefined : expectString(o, field, what);
}

function fieldError(what: string, field: string, want: string, got: unknown): Error {
  return new DecodeError(`decoding ${what}: field "${field}" must be ${want}, got ${describe(got)}`, { data: { what, field } });
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (ArrayBuffer.isView(x)) return x.constructor.name;
  return typeof x;
}
