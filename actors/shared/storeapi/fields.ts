import type { CodedErrorOptions } from '../../../runtime/errors/coded-error.js';
import { compareUtf8, type Label, type Labels } from '../labels/labels.js';
import { compileAnchored, type MatcherSpec } from '../labels/matcher.js';
import { LIMITS } from './protocol.js';
import { MATCH_TYPES } from './types.js';

/**
 * Field readers for the StoreAPI decode boundary. Like proto3, an absent optional field takes its
 * zero value (false, 0, [], 'WARN'); a present field of the wrong type, out of range or over a limit
 * throws the reader's error class naming the field path (`data.field`).
 */
export type Rec = Record<string, unknown>;
type ErrorClass = new (message: string, options?: CodedErrorOptions) => Error;

export class FieldReader {
  constructor(private readonly Err: ErrorClass, private readonly what: string) {}

  fail(field: string, want: string, got?: unknown): never {
    const tail = arguments.length >= 3 ? `, got ${describe(got)}` : '';
    throw new this.Err(`decoding ${this.what}: field "${field}" must be ${want}${tail}`, { data: { what: this.what, field } });
  }

  record(x: unknown, field: string): Rec {
    if (typeof x !== 'object' || x === null || Array.isArray(x) || ArrayBuffer.isView(x)) this.fail(field, 'an object', x);
    return x as Rec;
  }

  /** Checks `o.kind === kind` (the message tag). */
  kind(x: unknown, kind: string): Rec {
    const o = this.record(x, '$');
    if (o.kind !== kind) this.fail('kind', JSON.stringify(kind), o.kind);
    return o;
  }

  string(v: unknown, field: string, max: number, nonEmpty = false): string {
    if (typeof v !== 'string') this.fail(field, 'a string', v);
    if (v.length > max) this.fail(field, `at most ${max} characters long`, `${v.length} characters`);
    if (nonEmpty && v.length === 0) this.fail(field, 'a non-empty string', v);
    return v;
  }

  /** A safe integer in [min, max]; `undefined` → `dflt` when given. */
  int(v: unknown, field: string, min: number, max: number, dflt?: number): number {
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(field, 'a safe integer', v);
    if (v < min || v > max) this.fail(field, `in [${min}, ${max}]`, v);
    return v;
  }

  bool(v: unknown, field: string): boolean {
    if (v === undefined) return false;
    if (typeof v !== 'boolean') this.fail(field, 'a boolean', v);
    return v;
  }

  oneOf<T extends string>(v: unknown, field: string, values: readonly T[], dflt?: T): T {
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) this.fail(field, `one of ${values.join('|')}`, v);
    return v as T;
  }

  /** An array of at most `max` items; `undefined` → []. */
  array(v: unknown, field: string, max: number): readonly unknown[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(field, 'an array', v);
    if (v.length > max) this.fail(field, `at most ${max} items`, `${v.length} items`);
    return v;
  }

  strings(v: unknown, field: string, maxItems: number, maxLen: number): string[] {
    return this.array(v, field, maxItems).map((s, i) => this.string(s, `${field}[${i}]`, maxLen));
  }

  /** A label set: names non-empty, strictly increasing in UTF-8 order (sorted, unique). */
  labels(v: unknown, field: string): Labels {
    const arr = this.array(v, field, LIMITS.maxLabelsPerSeries);
    const out: Label[] = new Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const o = this.record(arr[i], `${field}[${i}]`);
      const name = this.string(o.name, `${field}[${i}].name`, LIMITS.maxLabelNameLength, true);
      const value = this.string(o.value, `${field}[${i}].value`, LIMITS.maxLabelValueLength);
      if (i > 0 && compareUtf8(out[i - 1]!.name, name) >= 0) this.fail(`${field}[${i}].name`, 'sorted and unique', name);
      out[i] = { name, value };
    }
    return out;
  }

  /** Matchers with a valid type, a non-empty name, and (for regex types) a compilable regex. */
  matchers(v: unknown, field: string, minCount: number): MatcherSpec[] {
    const arr = this.array(v, field, LIMITS.maxMatchers);
    if (arr.length < minCount) this.fail(field, `at least ${minCount} matcher(s)`, `${arr.length}`);
    return arr.map((x, i) => {
      const f = `${field}[${i}]`;
      const o = this.record(x, f);
      const type = this.oneOf(o.type, `${f}.type`, MATCH_TYPES);
      const name = this.string(o.name, `${f}.name`, LIMITS.maxLabelNameLength, true);
      const value = this.string(o.value, `${f}.value`, LIMITS.maxLabelValueLength);
      if (type === '=~' || type === '!~') {
        try { compileAnchored(value); } catch (err) {
          throw new this.Err(`decoding ${this.what}: field "${f}.value" is not a valid regex: ${(err as Error).message}`, { cause: err, data: { what: this.what, field: `${f}.value` } });
        }
      }
      return { type, name, value };
    });
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'nothing';
  if (Array.isArray(x)) return 'an array';
  if (ArrayBuffer.isView(x)) return x.constructor.name;
  if (typeof x === 'string') return x.length > 64 ? JSON.stringify(x.slice(0, 64)) + '…' : JSON.stringify(x);
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return typeof x;
}
