import { defineDomainError } from '../errors/domain-error.js';
import { translateRe2Flags } from './re2.js';

/** A label matcher with Prometheus semantics. */
export type MatchType = '=' | '!=' | '=~' | '!~';

export const BadMatcherError = defineDomainError('LABELS_BAD_MATCHER', false);

export interface MatcherSpec {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
}

/**
 * A compiled matcher. Regexes are fully anchored (`^(?:re)$`) like Prometheus; a missing label
 * has the value "" for matching purposes, so `{foo=""}` matches series without `foo` and
 * `{foo=~".*"}` matches every series.
 */
export class Matcher implements MatcherSpec {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  private readonly re: RegExp | undefined;

  constructor(type: MatchType, name: string, value: string) {
    this.type = type;
    this.name = name;
    this.value = value;
    if (type === '=~' || type === '!~') this.re = compileAnchored(value);
  }

  static from(spec: MatcherSpec): Matcher {
    return spec instanceof Matcher ? spec : new Matcher(spec.type, spec.name, spec.value);
  }

  /** Whether a label value (use "" for an absent label) satisfies the matcher. */
  matches(v: string): boolean {
    switch (this.type) {
      case '=': return v === this.value;
      case '!=': return v !== this.value;
      case '=~': return this.re!.test(v);
      case '!~': return !this.re!.test(v);
    }
  }

  /** True when the matcher accepts the empty string (and therefore series without the label). */
  matchesEmpty(): boolean { return this.matches(''); }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

/**
 * Compiles a Prometheus (RE2) regex as an anchored JS regex. RE2 syntax not accepted by JS, or JS
 * constructs that RE2 rejects (lookaround, backreferences), become BadMatcherError.
 */
export function compileAnchored(re: string): RegExp {
  if (/\(\?[=!<]|\\[1-9]/.test(re)) {
    throw new BadMatcherError(`parsing regex ${JSON.stringify(re)}: lookaround and backreferences are not supported`);
  }
  // RE2 inline flag groups and RE2's dot, rewritten into plain JS syntax.
  const body = translateRe2Flags(re);
  try {
    return new RegExp(`^(?:${body})$`, 'u');
  } catch {
    try { return new RegExp(`^(?:${body})$`); } catch (err) {
      throw new BadMatcherError(`parsing regex ${JSON.stringify(re)}: ${(err as Error).message}`, { cause: err });
    }
  }
}
