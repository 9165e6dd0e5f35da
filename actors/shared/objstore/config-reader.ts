import type { CodedErrorOptions } from '../../../runtime/errors/coded-error.js';
import { ObjstoreConfigError } from './errors.js';

/** Builds the typed error a reader throws (default: ObjstoreConfigError). */
export type ConfigErrorFactory = (message: string, options: CodedErrorOptions) => Error;
/** The objstore config's error factory (the default of every reader here). */
export const objstoreConfigError: ConfigErrorFactory = (m, o) => new ObjstoreConfigError(m, o);

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000,
};
const BYTE_UNITS: Record<string, number> = {
  b: 1, kb: 2 ** 10, mb: 2 ** 20, gb: 2 ** 30, tb: 2 ** 40, pb: 2 ** 50,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40, pib: 2 ** 50,
};

/** Parses a Go/Prometheus duration (`24h`, `1h30m`, `300ms`, `2d`, `0`) into milliseconds; undefined if malformed. */
export function parseDurationMs(s: string): number | undefined {
  const t = s.trim();
  if (t === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) { total += Number(m[1]) * DURATION_UNITS[m[2]!]!; at = re.lastIndex; }
  return at === t.length && at > 0 ? total : undefined;
}

/** Parses a byte size (`250MB`, `1GiB`, `16000`); units are base 2 as in Thanos. Undefined if malformed. */
export function parseBytes(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(s);
  if (m === null) return undefined;
  const unit = m[2]!.toLowerCase();
  const mult = unit === '' ? 1 : BYTE_UNITS[unit];
  return mult === undefined ? undefined : Math.round(Number(m[1]) * mult);
}

/**
 * Strict reader of one YAML mapping of a config file: unknown fields are refused (all named at once),
 * values are type-checked, `null` (an empty YAML value) counts as absent. `where` names the mapping
 * in messages, e.g. `objstore config (S3)`.
 */
export class ConfigReader {
  readonly #o: Record<string, unknown>;

  readonly #makeError: ConfigErrorFactory;

  /** `makeError` builds the thrown errors (the config's own typed error; default ObjstoreConfigError). */
  constructor(readonly where: string, obj: unknown, allowed: readonly string[], makeError: ConfigErrorFactory = objstoreConfigError) {
    this.#makeError = makeError;
    if (obj === undefined || obj === null) obj = {};
    if (typeof obj !== 'object' || Array.isArray(obj)) throw this.error(`expected a mapping, got ${typeName(obj)}`);
    this.#o = obj as Record<string, unknown>;
    const unknown = Object.keys(this.#o).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) {
      throw this.error(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} (allowed: ${allowed.join(', ')})`, { unknown });
    }
  }

  has(key: string): boolean { return this.#o[key] !== undefined && this.#o[key] !== null; }

  raw(key: string): unknown { return this.has(key) ? this.#o[key] : undefined; }

  string(key: string, def = ''): string {
    const v = this.raw(key);
    if (v === undefined) return def;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw this.bad(key, 'a string', v);
  }

  bool(key: string, def = false): boolean {
    const v = this.raw(key);
    if (v === undefined) return def;
    if (typeof v === 'boolean') return v;
    throw this.bad(key, 'true or false', v);
  }

  int(key: string, def = 0): number {
    const v = this.raw(key);
    if (v === undefined) return def;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    throw this.bad(key, 'an integer', v);
  }

  /** A byte size: an integer or a string such as `250MB`. */
  bytes(key: string, def = 0): number {
    const v = this.raw(key);
    if (v === undefined) return def;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? parseBytes(v) : undefined;
    if (n === undefined || !Number.isSafeInteger(n) || n < 0) throw this.bad(key, 'a byte size like 250MB', v);
    return n;
  }

  /** A duration in milliseconds: a string such as `24h` or `1m30s`. */
  durationMs(key: string, def = 0): number {
    const v = this.raw(key);
    if (v === undefined) return def;
    const n = typeof v === 'string' ? parseDurationMs(v) : v === 0 ? 0 : undefined;
    if (n === undefined) throw this.bad(key, 'a duration like 5m or 24h', v);
    return n;
  }

  /** A mapping of string to string. */
  stringMap(key: string): Record<string, string> {
    const v = this.raw(key);
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw this.bad(key, 'a mapping', v);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'string') throw this.bad(`${key}.${k}`, 'a string', x);
      out[k] = x;
    }
    return out;
  }

  /** A list of strings (a single string is refused: YAML lists only). */
  stringList(key: string): string[] {
    const v = this.raw(key);
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw this.bad(key, 'a list of strings', v);
    return v as string[];
  }

  /** `v` (read from `key`) when ≥ 0, else the typed error naming `key`. */
  nonNegative(key: string, v: number): number {
    if (v < 0) throw this.bad(key, 'zero or more', v);
    return v;
  }

  /** `v` (read from `key`) when > 0, else the typed error naming `key`. */
  positive(key: string, v: number): number {
    if (v <= 0) throw this.bad(key, 'greater than zero', v);
    return v;
  }

  /** A nested mapping, read strictly with its own allowed fields. */
  sub(key: string, allowed: readonly string[]): ConfigReader {
    return new ConfigReader(`${this.where}.${key}`, this.raw(key), allowed, this.#makeError);
  }

  /** One of `choices` (exact match). */
  oneOf<T extends string>(key: string, choices: readonly T[], def: T): T {
    const v = this.string(key, def);
    if (!(choices as readonly string[]).includes(v)) throw this.bad(key, `one of ${choices.join(', ')}`, v);
    return v as T;
  }

  error(msg: string, data: Record<string, unknown> = {}): Error {
    return this.#makeError(`${this.where}: ${msg}`, { data: { where: this.where, ...data } });
  }

  bad(key: string, want: string, got: unknown): Error {
    return this.error(`field "${key}" must be ${want}, got ${JSON.stringify(got) ?? typeName(got)}`, { field: key });
  }
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v;
}
