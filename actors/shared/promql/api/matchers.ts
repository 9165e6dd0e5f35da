/**
 * `match[]` parameters as Prometheus 2.42's `parseMatchersParam`: each value is a series selector
 * (`parser.ParseMetricSelector`: a metric name and/or `{…}` matchers, nothing else), and every set
 * needs at least one matcher that does not match the empty string.
 */
import type { Matcher } from '../../labels/matcher.js';
import { parseErrorAt, ParseError } from '../parser/errors.js';
import { describeToken, lex2_42, type Token } from '../parser/lexer.js';
import { parseExpr } from '../parser/parse.js';
import { apiError } from './envelope.js';

/** The message 2.42 gives for a selector whose matchers all match the empty string. */
export const EMPTY_MATCHERS = 'match[] must contain at least one non-empty matcher';
const CHECK_EMPTY = 'vector selector must contain at least one non-empty matcher';

/**
 * Parses every `match[]` value. Throws ParseError (`<line>:<col>: parse error: …`, Prometheus's
 * text where its selector grammar and ours agree) or a `bad_data` PrometheusApiError with
 * {@link EMPTY_MATCHERS}.
 */
export function parseMatcherSets(values: readonly string[]): Matcher[][] {
  const sets = values.map(parseSeriesSelector);
  for (const set of sets) if (set === 'all-empty' || !set.some((m) => !m.matches(''))) throw apiError('bad_data', EMPTY_MATCHERS);
  return sets as Matcher[][];
}

/** One selector's matchers, or 'all-empty' when every matcher accepts "". */
function parseSeriesSelector(input: string): Matcher[] | 'all-empty' {
  const lexed = lex2_42(input);
  const toks = lexed.tokens.filter((t) => t.kind !== 'COMMENT');
  // ParseMetricSelector accepts exactly: name? ("{" … "}")? EOF. Anything past that is "unexpected".
  if (toks.length === 3 && toks[0]!.val === '{' && toks[1]!.val === '}' && toks[2]!.kind === 'EOF') return 'all-empty';
  let i = 0;
  const keywordName = toks[0] !== undefined && toks[0].kind !== 'IDENTIFIER' && toks[0].kind !== 'METRIC_IDENTIFIER' && isName(toks[0]);
  if (isName(toks[0])) i++;
  if (toks[i]?.kind === 'PUNCT' && toks[i]!.val === '{') {
    while (i < toks.length && !(toks[i]!.kind === 'PUNCT' && toks[i]!.val === '}') && toks[i]!.kind !== 'EOF') i++;
    if (i < toks.length && toks[i]!.kind !== 'EOF') i++;
  }
  const next = toks[i];
  const stray = next !== undefined && next.kind !== 'EOF' && (lexed.error === undefined || next.pos < lexed.error.pos);
  if (stray || i === 0) {
    if (next !== undefined && (lexed.error === undefined || next.pos < lexed.error.pos)) {
      throw parseErrorAt(input, next.pos, `unexpected ${describeToken(next)}`);
    }
  }
  try {
    const e = parseExpr(keywordName ? keywordAsName(input, toks[0]!) : input);
    if (e.type !== 'VectorSelector') throw parseErrorAt(input, 0, 'unexpected expression');
    return [...e.matchers];
  } catch (err) {
    if (err instanceof ParseError && (err.data?.['detail'] === CHECK_EMPTY)) return 'all-empty';
    throw err;
  }
}

/** Keywords 2.42's grammar accepts as a metric name (`metric_identifier`), lowercased. */
const KEYWORD_NAMES = new Set(['avg', 'bottomk', 'by', 'count', 'count_values', 'group', 'and', 'or', 'unless', 'max', 'min',
  'offset', 'quantile', 'stddev', 'stdvar', 'sum', 'topk', 'without', 'start', 'end']);

function isName(t: Token | undefined): boolean {
  if (t === undefined) return false;
  return t.kind === 'IDENTIFIER' || t.kind === 'METRIC_IDENTIFIER' || (t.kind !== 'STRING' && KEYWORD_NAMES.has(t.val.toLowerCase()));
}

/** `sum{…}` → `{__name__="sum",…}` (a PromQL query cannot name such a metric directly). */
function keywordAsName(input: string, name: Token): string {
  const rest = input.slice(name.pos + name.val.length).trimStart();
  const head = input.slice(0, name.pos) + `{__name__=${JSON.stringify(name.val)}`;
  return rest.startsWith('{') ? `${head},${rest.slice(1)}` : `${head}}${rest}`;
}
