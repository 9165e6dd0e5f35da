import { parser as lezerParser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import type { Expr } from './ast.js';
import { AstBuilder } from './build.js';
import { TypeChecker } from './check.js';
import { parseErrorAt, PositionedFailure, type ParseError } from './errors.js';
import { FUNCTIONS, getFunction } from './functions.js';
import { describeToken, lex2_42, type Token } from './lexer.js';

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
    // The contract is "AST or ParseError"; a failure of this parser itself is still reported as one.
    return { error: parseErrorAt(input, 0, `internal parser failure: ${e instanceof Error ? e.message : String(e)}`) };
  }
}

function parseOrFail(input: string): Expr {
  const lexed = lex2_42(input);
  const tree = lezerParser.parse(lezerInput(input, lexed.tokens));
  if (lexed.error === undefined && lexed.tokens.every((t) => t.kind === 'COMMENT' || t.kind === 'EOF')) {
    throw new PositionedFailure(0, 'no expression found in input');
  }
  const first = firstError(input, tree.topNode, lexed.tokens, lexed.error);
  if (first !== undefined) throw new PositionedFailure(first.pos, first.msg);
  const builder = new AstBuilder(input, lexed.tokens);
  const expr = builder.build(tree.topNode);
  new TypeChecker(builder.positions, builder.opPos).check(expr);
  return expr;
}

interface Detected extends Failure {
  /** Where a left-to-right parser (2.42's yacc parser) notices the problem. */
  readonly detect: number;
  readonly rank: number;
}

/**
 * Picks the error 2.42 would report first: lexer errors, syntax errors and unknown-function errors,
 * ordered by where a left-to-right parse would notice them (a call is checked when its `)` is read).
 * Syntax errors lezer reports inside the call of an unknown function are consequences of lezer not
 * knowing that name and are ignored.
 */
function firstError(input: string, top: SyntaxNode, tokens: readonly Token[], lexErr: Failure | undefined): Failure | undefined {
  const found: Detected[] = [];
  if (lexErr !== undefined) {
    // 2.42 flags a surplus ')' just after emitting it: the error sits one past the token.
    const detect = lexErr.msg.startsWith('unexpected right parenthesis') ? lexErr.pos - 1 : lexErr.pos;
    found.push({ ...lexErr, detect, rank: 0 });
  }
  const calls = unknownFunctions(tokens);
  for (const c of calls) if (c.close !== undefined) found.push({ pos: c.pos, msg: c.msg, detect: c.close, rank: 2 });
  // Only one-letter names get no stand-in (see lezerInput); lezer cannot parse their arguments.
  const inCall = (pos: number): boolean => calls.some((c) => c.name.length < 2 && pos > c.pos && pos <= (c.close ?? Infinity));
  const syn = firstSyntaxError(top, input, tokens, inCall);
  if (syn !== undefined) found.push({ ...syn, detect: syn.pos, rank: 1 });
  if (found.length === 0) return undefined;
  return found.reduce((a, b) => (b.detect < a.detect || (b.detect === a.detect && b.rank < a.rank) ? b : a));
}

const LEZER_NUMBER = /^(?:(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?|0x[0-9a-fA-F]+|[iI][nN][fF]|[nN][aA][nN])$/;
const LEZER_DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;

/**
 * The text handed to lezer: same length (positions stay valid), with 2.42 tokens that the 3.x
 * grammar does not know rewritten to ones it does (`1.` numbers, malformed durations, the function
 * `holt_winters`, `offset` as a metric name). The AST builder always reads the original text.
 */
function lezerInput(input: string, tokens: readonly Token[]): string {
  let out = input;
  const patch = (t: Token, text: string): void => {
    // A token starting with '.' may directly follow an identifier; keep it a separate token.
    const safe = t.val.startsWith('.') ? ' ' + text.slice(1) : text;
    out = out.slice(0, t.pos) + safe + out.slice(t.pos + t.val.length);
  };
  let prev: Token | undefined;
  for (const t of tokens) {
    if (t.kind === 'COMMENT') continue;
    const before = prev;
    prev = t;
    // 2.42 accepts the keyword `offset` as a metric name where no modifier can follow.
    if (t.kind === 'KEYWORD' && t.val.toLowerCase() === 'offset' && (before === undefined || before.kind === 'OPERATOR'
      || (before.kind === 'PUNCT' && (before.val === '(' || before.val === ',')) || before.val.toLowerCase() === 'bool')) {
      patch(t, 'o_____');
    } else if (t.kind === 'IDENTIFIER' && getFunction(t.val) === undefined && t.val.length >= 2 && next(tokens, t)?.val === '(') {
      // Unknown function: let lezer parse the arguments as a call of a known name (same width).
      patch(t, standIn(t.val.length));
    } else if (t.kind === 'NUMBER' && !LEZER_NUMBER.test(t.val)) patch(t, '1'.repeat(t.val.length));
    else if (t.kind === 'DURATION' && !LEZER_DURATION.test(t.val)) patch(t, '1'.repeat(t.val.length - 1) + 's');
    else if (t.kind === 'IDENTIFIER' && t.val === 'holt_winters') patch(t, 'day_of_month');
  }
  return out;
}

const KNOWN_TO_LEZER = [...FUNCTIONS.keys()].filter((n) => n !== 'holt_winters').sort((a, b) => b.length - a.length);

/** A known function name right-aligned in `width` characters. */
function standIn(width: number): string {
  const name = KNOWN_TO_LEZER.find((n) => n.length <= width)!;
  return ' '.repeat(width - name.length) + name;
}

function next(tokens: readonly Token[], t: Token): Token | undefined {
  const i = tokens.indexOf(t);
  for (let j = i + 1; j < tokens.length; j++) if (tokens[j]!.kind !== 'COMMENT') return tokens[j];
  return undefined;
}

/** Calls of names 2.42 does not know, with the position of their closing `)` (if any). */
function unknownFunctions(tokens: readonly Token[]): Array<Failure & { name: string; close: number | undefined }> {
  const toks = tokens.filter((t) => t.kind !== 'COMMENT');
  const out: Array<Failure & { name: string; close: number | undefined }> = [];
  for (let i = 0; i + 1 < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind !== 'IDENTIFIER' || toks[i + 1]!.val !== '(' || toks[i + 1]!.kind !== 'PUNCT' || getFunction(t.val) !== undefined) continue;
    if (insideBraces(toks, i)) continue;
    let depth = 0;
    let close: number | undefined;
    for (let j = i + 1; j < toks.length; j++) {
      const v = toks[j]!;
      if (v.kind !== 'PUNCT') continue;
      if (v.val === '(') depth++;
      else if (v.val === ')' && --depth === 0) { close = v.pos; break; }
    }
    out.push({ pos: t.pos, name: t.val, msg: `unknown function with name ${JSON.stringify(t.val)}`, close });
  }
  return out;
}

function insideBraces(toks: readonly Token[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    if (toks[j]!.val === '{' && toks[j]!.kind === 'PUNCT') return true;
    if (toks[j]!.val === '}' && toks[j]!.kind === 'PUNCT') return false;
  }
  return false;
}

function firstSyntaxError(top: SyntaxNode, input: string, tokens: readonly Token[], ignore: (pos: number) => boolean): Failure | undefined {
  let found: SyntaxNode | undefined;
  const cursor = top.cursor();
  do {
    if (cursor.type.isError && !ignore(cursor.from)) { found = cursor.node; break; }
  } while (cursor.next());
  if (found === undefined) return undefined;
  const pos = found.from;
  const real = tokens.filter((t) => t.kind !== 'COMMENT');
  let idx = real.findIndex((t) => t.pos + t.val.length > pos);
  if (idx < 0) idx = real.length;
  const tok: Token = real[idx] ?? { kind: 'EOF', val: '', pos: input.length };
  const prev = idx > 0 ? real[idx - 1] : undefined;
  if (tok.val === ')' && prev !== undefined && prev.val === ',' && prev.kind === 'PUNCT') {
    return { pos: prev.pos, msg: 'trailing commas not allowed in function call args' };
  }
  const what = describeToken(tok);
  const [ctx, expected] = errorContext(found, tok, prev, idx > 1 ? real[idx - 2] : undefined);
  const suffix = (ctx === '' ? '' : ` in ${ctx}`) + (expected === '' ? '' : `, expected ${expected}`);
  return { pos: tok.pos, msg: `unexpected ${what}${suffix}` };
}

/** The "in <context>, expected <what>" parts of 2.42's syntax errors, from the tokens around it. */
function errorContext(node: SyntaxNode, tok: Token, prev: Token | undefined, prev2: Token | undefined): [string, string] {
  if (prev === undefined) return ['', ''];
  const p = prev.val;
  if (prev.kind === 'OPERATOR' && p === '@') return ['@', 'timestamp'];
  if ((prev.kind === 'KEYWORD' && p.toLowerCase() === 'offset') || (p === '-' && prev2?.val.toLowerCase() === 'offset')) return ['offset', 'duration'];
  if (prev.kind === 'DURATION' && prev2?.val === '[') return ['subquery or range', '":" or "]"'];
  if (prev.kind === 'PUNCT' && p === ':' ) return ['subquery selector', 'duration or "]"'];
  if (prev.kind === 'DURATION' && prev2?.val === ':') return ['subquery selector', '"]"'];
  for (let n: SyntaxNode | null = node.parent; n !== null; n = n.parent) {
    if (n.name === 'LabelMatchers') {
      if (tok.kind === 'EOF') return ['', ''];
      if (prev.kind === 'OPERATOR' || p === '=') return ['label matching', 'string'];
      if (prev.kind === 'STRING') return ['label matching', '"," or "}"'];
      if (prev.kind === 'IDENTIFIER' && p !== '{') return ['label matching', 'label matching operator'];
      return ['label matching', 'identifier or "}"'];
    }
    if (n.name === 'GroupingLabels') {
      if (tok.kind === 'EOF') return ['', ''];
      return ['grouping opts', p === '(' || p === ',' ? 'label' : '"," or ")"'];
    }
    if (n.name === 'AggregateExpr' && prev.kind !== 'AGGREGATOR') return ['aggregation', ''];
  }
  return ['', ''];
}
