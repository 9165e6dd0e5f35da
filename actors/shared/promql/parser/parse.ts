import { parser as lezerParser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import type { Expr } from './ast.js';
import { AstBuilder } from './build.js';
import { TypeChecker } from './check.js';
import { parseErrorAt, PositionedFailure, type ParseError } from './errors.js';
import { getFunction } from './functions.js';
import { describeToken, EXPECTED_IN, lex2_42, type Token } from './lexer.js';

/** Where a syntax error sits, for "unexpected X in <context>" messages. */
const CONTEXTS: Record<string, string> = {
  LabelMatchers: 'label matching', UnquotedLabelMatcher: 'label matching', GroupingLabels: 'grouping opts',
  OffsetExpr: 'offset', OffsetDurationExpr: 'offset', StepInvariantExpr: '@', MatrixSelector: 'subquery or range',
  SubqueryExpr: 'subquery selector', DurationExpr: 'subquery or range', AggregateExpr: 'aggregation',
};

interface Failure { readonly pos: number; readonly msg: string }

/**
 * Parses a PromQL expression with the syntax and type rules of Prometheus 2.42. Returns the typed
 * AST or throws ParseError (`<line>:<col>: parse error: <msg>`); never throws anything else.
 * 3.x-only syntax that lezer-promql accepts (duration arithmetic, quoted label names, `limitk`,
 * `anchored`/`smoothed`, `fill`, newer functions, float durations) is rejected as 2.42 does.
 */
export function parseExpr(input: string): Expr {
  const r = tryParse(input);
  if ('error' in r) throw r.error;
  return r.expr;
}

/** Like parseExpr but returns the error instead of throwing it. */
export function tryParse(input: string): { expr: Expr } | { error: ParseError } {
  try {
    return { expr: parseOrFail(input) };
  } catch (e) {
    if (e instanceof PositionedFailure) return { error: parseErrorAt(input, e.pos, e.msg) };
    if (e instanceof RangeError) return { error: parseErrorAt(input, 0, 'expression nested too deeply') };
    throw e;
  }
}

function parseOrFail(input: string): Expr {
  const lexed = lex2_42(input);
  const tree = lezerParser.parse(lezerInput(input, lexed.tokens));
  const syn = firstSyntaxError(tree.topNode, input, lexed.tokens);
  const fn = unknownFunction(lexed.tokens);
  if (lexed.error === undefined && lexed.tokens.every((t) => t.kind === 'COMMENT' || t.kind === 'EOF')) {
    throw new PositionedFailure(0, 'no expression found in input');
  }
  // The 2.42 lexer fails before the parser sees the rest, so its errors come first; lezer's error
  // recovery often flags an earlier spot for the same problem (unclosed parentheses…).
  if (lexed.error !== undefined) throw new PositionedFailure(lexed.error.pos, lexed.error.msg);
  const candidates: Failure[] = [];
  if (fn !== undefined) candidates.push(fn);
  if (syn !== undefined) candidates.push(syn);
  if (candidates.length > 0) {
    const first = candidates.reduce((a, b) => (b.pos < a.pos ? b : a));
    throw new PositionedFailure(first.pos, first.msg);
  }
  const builder = new AstBuilder(input, lexed.tokens);
  const expr = builder.build(tree.topNode);
  new TypeChecker(builder.positions, builder.opPos).check(expr);
  return expr;
}

const LEZER_NUMBER = /^(?:(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?|0x[0-9a-fA-F]+|[iI][nN][fF]|[nN][aA][nN])$/;
const LEZER_DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;

/**
 * The text handed to lezer: same length (positions stay valid), with 2.42 tokens that the 3.x
 * grammar does not know rewritten to ones it does (`1.` numbers, malformed durations, the function
 * `holt_winters`). The AST builder always reads the original text.
 */
function lezerInput(input: string, tokens: readonly Token[]): string {
  let out = input;
  const patch = (t: Token, text: string): void => { out = out.slice(0, t.pos) + text + out.slice(t.pos + t.val.length); };
  for (const t of tokens) {
    if (t.kind === 'NUMBER' && !LEZER_NUMBER.test(t.val)) patch(t, '1'.repeat(t.val.length));
    else if (t.kind === 'DURATION' && !LEZER_DURATION.test(t.val)) patch(t, '1'.repeat(t.val.length - 1) + 's');
    else if (t.kind === 'IDENTIFIER' && t.val === 'holt_winters') patch(t, 'day_of_month');
  }
  return out;
}

/** 2.42 reports calls of unknown names as such, before lezer's grammar would trip over them. */
function unknownFunction(tokens: readonly Token[]): Failure | undefined {
  const toks = tokens.filter((t) => t.kind !== 'COMMENT');
  for (let i = 0; i + 1 < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'IDENTIFIER' && toks[i + 1]!.val === '(' && toks[i + 1]!.kind === 'PUNCT' && getFunction(t.val) === undefined) {
      const prev = toks[i - 1];
      // Inside braces identifiers are label names, never calls.
      if (prev !== undefined && (prev.val === '{' || prev.val === ',') && insideBraces(toks, i)) continue;
      return { pos: t.pos, msg: `unknown function with name ${JSON.stringify(t.val)}` };
    }
  }
  return undefined;
}

function insideBraces(toks: readonly Token[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    if (toks[j]!.val === '{' && toks[j]!.kind === 'PUNCT') return true;
    if (toks[j]!.val === '}' && toks[j]!.kind === 'PUNCT') return false;
  }
  return false;
}

function firstSyntaxError(top: SyntaxNode, input: string, tokens: readonly Token[]): Failure | undefined {
  let found: SyntaxNode | undefined;
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) { found = cursor.node; break; }
  } while (cursor.next());
  if (found === undefined) return undefined;
  const pos = found.from;
  const real = tokens.filter((t) => t.kind !== 'COMMENT');
  const idx = real.findIndex((t) => t.pos + t.val.length > pos);
  const tok = idx >= 0 ? real[idx] : real[real.length - 1];
  const prev = idx > 0 ? real[idx - 1] : undefined;
  if (tok !== undefined && tok.val === ')' && prev !== undefined && prev.val === ',' && prev.kind === 'PUNCT') {
    return { pos: prev.pos, msg: 'trailing commas not allowed in function call args' };
  }
  const what = tok === undefined ? 'end of input' : describeToken(tok);
  let ctx = '';
  for (let p: SyntaxNode | null = found.parent; p !== null && ctx === ''; p = p.parent) ctx = CONTEXTS[p.name] ?? '';
  if (tok !== undefined && tok.kind === 'EOF' && ctx !== '@' && ctx !== 'offset') ctx = '';
  let expected = EXPECTED_IN[ctx] ?? '';
  if (ctx === 'label matching') {
    if (prev !== undefined && (prev.kind === 'OPERATOR' || prev.val === '=')) expected = 'string';
    else if (prev !== undefined && prev.kind === 'STRING') expected = '"," or "}"';
    else if (prev !== undefined && prev.kind === 'IDENTIFIER') expected = 'label matching operator';
    else expected = 'identifier or "}"';
  }
  const suffix = (ctx === '' ? '' : ` in ${ctx}`) + (ctx === '' || expected === '' ? '' : `, expected ${expected}`);
  return { pos: tok?.pos ?? Math.min(pos, input.length), msg: `unexpected ${what}${suffix}` };
}
