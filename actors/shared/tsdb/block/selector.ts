import type { Matcher, MatchType } from '../../labels/matcher.js';
import { unquoteString } from '../../promql/parser/literals.js';
import { makeMatcher } from '../../promql/parser/re2-matcher.js';
import { BadSelectorError } from './errors.js';

/** promtool's default `--match`: every series. */
export const DEFAULT_SELECTOR = `{__name__=~'(?s:.*)'}`;

const NAME_START = /[A-Za-z_:]/;
const LABEL_START = /[A-Za-z_]/;

/**
 * Parses a series selector (`name`, `{l="v", …}`, `name{…}`) into matchers, as Prometheus's
 * `parser.ParseMetricSelector` does for promtool's `--match`: matchers `=`, `!=`, `=~`, `!~`, string
 * literals in `"…"`, `'…'` or backticks with Go escapes, RE2 regexes (inline flags such as `(?s:…)`
 * included, fully anchored). Unlike a PromQL query, a selector whose matchers all accept the empty
 * string is allowed. The metric name becomes a trailing `__name__="name"` matcher.
 * Throws BadSelectorError with the 0-based position.
 */
export function parseSeriesSelector(input: string): Matcher[] {
  let pos = 0;
  const fail = (msg: string): never => {
    throw new BadSelectorError(`parsing series selector ${JSON.stringify(input)}: ${msg} at position ${pos}`, { data: { position: pos } });
  };
  const ws = () => { while (pos < input.length && /\s/.test(input[pos]!)) pos++; };
  const ident = (start: RegExp): string => {
    const from = pos;
    if (pos >= input.length || !start.test(input[pos]!)) return '';
    pos++;
    while (pos < input.length && /[A-Za-z0-9_:]/.test(input[pos]!) && (start === NAME_START || input[pos] !== ':')) pos++;
    return input.slice(from, pos);
  };
  const str = (): string => {
    const q = input[pos];
    if (q !== '"' && q !== "'" && q !== '`') return fail('expected a string literal');
    const from = pos++;
    while (pos < input.length && input[pos] !== q) pos += input[pos] === '\\' && q !== '`' ? 2 : 1;
    if (pos >= input.length) return fail('unterminated string literal');
    pos++;
    try { return unquoteString(input.slice(from, pos)); } catch (err) { return fail((err as Error).message); }
  };

  const matchers: Matcher[] = [];
  const make = (type: MatchType, name: string, value: string): void => {
    try { matchers.push(makeMatcher(type, name, value)); } catch (err) { fail((err as Error).message); }
  };
  ws();
  const name = ident(NAME_START);
  ws();
  if (input[pos] === '{') {
    pos++;
    ws();
    while (input[pos] !== '}') {
      const l = ident(LABEL_START);
      if (l === '') fail('expected a label name');
      ws();
      const op = /^(=~|!~|!=|=)/.exec(input.slice(pos))?.[1] as MatchType | undefined;
      if (op === undefined) fail('expected a label matching operator');
      pos += op!.length;
      ws();
      make(op!, l, str());
      ws();
      if (input[pos] === ',') { pos++; ws(); } else if (input[pos] !== '}') fail('expected "," or "}"');
    }
    pos++;
    ws();
  }
  if (pos !== input.length) fail('unexpected characters');
  if (name !== '') {
    if (matchers.some((m) => m.name === '__name__')) fail('metric name must not be set twice');
    make('=', '__name__', name);
  }
  if (matchers.length === 0) fail('empty selector');
  return matchers;
}
