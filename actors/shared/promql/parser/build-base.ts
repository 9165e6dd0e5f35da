import type { SyntaxNode } from '@lezer/common';
import type { Expr } from './ast.js';
import { DurationSyntaxError, parseDuration } from './duration.js';
import { PositionedFailure } from './errors.js';
import { describeToken, EXPECTED_IN, type Token } from './lexer.js';
import { LiteralError, parseNumberLiteral, unquoteString } from './literals.js';

/** Source range of a node in the query (UTF-16 offsets). */
export interface PosRange { readonly start: number; readonly end: number }

/** lezer expression node names (some are 3.x-only and rejected by the builder). */
const EXPR_NODES = new Set(['AggregateExpr', 'BinaryExpr', 'FunctionCall', 'MatrixSelector', 'NumberDurationLiteral',
  'OffsetExpr', 'AnchoredExpr', 'SmoothedExpr', 'ParenExpr', 'StringLiteral', 'SubqueryExpr', 'UnaryExpr',
  'VectorSelector', 'StepInvariantExpr']);

export const fail = (pos: number, msg: string): never => { throw new PositionedFailure(pos, msg); };

/**
 * Shared state and leaf handling of the AST builder: node positions, the 2.42 token at a position,
 * and literal values (numbers, strings, durations) read from the original query text.
 */
export abstract class BuilderBase {
  /** Positions of every built node, for type-check error messages. */
  readonly positions = new WeakMap<Expr, PosRange>();
  /** Operator positions of binary expressions (for bool-modifier errors). */
  readonly opPos = new WeakMap<Expr, number>();
  private readonly tokenAt = new Map<number, Token>();

  constructor(protected readonly input: string, tokens: readonly Token[]) {
    for (const t of tokens) this.tokenAt.set(t.pos, t);
  }

  protected text(n: SyntaxNode): string { return this.input.slice(n.from, n.to); }

  protected tok(pos: number): Token | undefined { return this.tokenAt.get(pos); }

  protected unexpected(n: SyntaxNode, context: string): never {
    const t = this.tok(n.from);
    const what = t === undefined ? JSON.stringify(this.text(n)) : describeToken(t);
    const expected = EXPECTED_IN[context];
    return fail(n.from, `unexpected ${what}${context === '' ? '' : ` in ${context}`}${expected === undefined ? '' : `, expected ${expected}`}`);
  }

  protected exprChildren(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c !== null; c = c.nextSibling) if (EXPR_NODES.has(c.name)) out.push(c);
    return out;
  }

  protected child(n: SyntaxNode, name: string): SyntaxNode | null { return n.getChild(name); }

  protected at<T extends Expr>(e: T, from: number, to: number): T {
    this.positions.set(e, { start: from, end: to });
    return e;
  }

  protected number(n: SyntaxNode, context = ''): Expr {
    const raw = this.text(n);
    let sign = 1;
    let numPos = n.from;
    if (raw[0] === '-' || raw[0] === '+') {
      sign = raw[0] === '-' ? -1 : 1;
      numPos = n.from + 1;
      while (/\s/.test(this.input[numPos] ?? '')) numPos++;
    }
    const t = this.tok(numPos);
    if (t === undefined || t.kind !== 'NUMBER') {
      const expected = EXPECTED_IN[context];
      return fail(numPos, `unexpected ${t ? describeToken(t) : JSON.stringify(raw)}${context === '' ? '' : ` in ${context}, expected ${expected}`}`);
    }
    const v = this.parseNumber(t);
    return this.at({ type: 'NumberLiteral', value: sign * v }, n.from, n.to);
  }

  protected parseNumber(t: Token): number {
    try { return parseNumberLiteral(t.val); } catch (e) {
      if (e instanceof LiteralError) return fail(t.pos, e.message);
      throw e;
    }
  }

  protected string(n: SyntaxNode): string {
    const raw = this.text(n);
    try { return unquoteString(raw); } catch (e) {
      if (e instanceof LiteralError) return fail(n.from, `error unquoting string ${JSON.stringify(raw)}: ${e.message}`);
      throw e;
    }
  }

  /** A duration in `[...]`, `[...:...]` or after `offset`: one 2.42 DURATION token, > 0. */
  protected duration(d: SyntaxNode, context: string): number {
    const lit = d.firstChild;
    if (lit === null || lit.name !== 'NumberDurationLiteralInDurationContext' || lit.nextSibling !== null) {
      return this.unexpected(lit ?? d, context);
    }
    const t = this.tok(lit.from);
    if (t === undefined || t.kind !== 'DURATION' || t.val !== this.text(lit)) return this.unexpected(lit, context);
    let ms: number;
    try { ms = parseDuration(t.val); } catch (e) {
      if (e instanceof DurationSyntaxError) return fail(t.pos, e.message);
      throw e;
    }
    if (ms === 0) return fail(t.pos, 'duration must be greater than 0');
    return ms;
  }

  protected startOf(e: Expr, n: SyntaxNode): number { return this.positions.get(e)?.start ?? n.from; }
}
