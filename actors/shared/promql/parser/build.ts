import type { SyntaxNode } from '@lezer/common';
import { Matcher, type MatchType } from '../../labels/matcher.js';
import { makeMatcher } from './re2-matcher.js';
import {
  AGGREGATE_OPS, aggregateHasParam, type AggregateOp, type AtModifier, type BinaryOp, type Expr,
  type MatchCardinality, type VectorSelector,
} from './ast.js';
import { BuilderBase, fail } from './build-base.js';
import { getFunction } from './functions.js';

export type { PosRange } from './build-base.js';

const BIN_OPS: Record<string, BinaryOp> = {
  Pow: '^', Mul: '*', Div: '/', Mod: '%', Atan2: 'atan2', Add: '+', Sub: '-', Eql: '==', Neq: '!=', Gte: '>=',
  Gtr: '>', Lte: '<=', Lss: '<', And: 'and', Unless: 'unless', Or: 'or',
};
const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/** Turns a lezer-promql tree (already known to be free of error nodes) into the typed AST. */
export class AstBuilder extends BuilderBase {
  build(n: SyntaxNode): Expr {
    switch (n.name) {
      case 'PromQL': {
        const [e] = this.exprChildren(n);
        if (e === undefined) return fail(0, 'no expression found in input');
        return this.build(e);
      }
      case 'NumberDurationLiteral': return this.number(n);
      case 'StringLiteral': return this.at({ type: 'StringLiteral', value: this.string(n) }, n.from, n.to);
      case 'VectorSelector': return this.vectorSelector(n);
      case 'ParenExpr': {
        const [e] = this.exprChildren(n);
        return this.at({ type: 'ParenExpr', expr: this.build(e!) }, n.from, n.to);
      }
      case 'UnaryExpr': return this.unary(n);
      case 'BinaryExpr': return this.binary(n);
      case 'FunctionCall': return this.call(n);
      case 'AggregateExpr': return this.aggregate(n);
      case 'MatrixSelector': return this.matrix(n);
      case 'SubqueryExpr': return this.subquery(n);
      case 'OffsetExpr': return this.offset(n);
      case 'StepInvariantExpr': return this.atModifier(n);
      default: return this.unexpected(n.lastChild ?? n, '');
    }
  }

  private vectorSelector(n: SyntaxNode): VectorSelector {
    const id = this.child(n, 'Identifier');
    const name = id === null ? '' : this.text(id);
    if (id !== null && /^atan2$/i.test(name)) this.unexpected(id, '');
    const matchers: Matcher[] = [];
    const lm = this.child(n, 'LabelMatchers');
    for (let c = lm?.firstChild ?? null; c !== null; c = c.nextSibling) {
      if (c.name === 'QuotedLabelMatcher' || c.name === 'QuotedLabelName') this.unexpected(c, 'label matching');
      if (c.name !== 'UnquotedLabelMatcher') continue;
      const label = this.text(c.getChild('LabelName')!);
      const op = MATCH_OPS[c.getChild('MatchOp')!.firstChild!.name]!;
      const value = this.string(c.getChild('StringLiteral')!);
      try { matchers.push(makeMatcher(op, label, value)); } catch (e) {
        return fail(c.from, `error parsing regexp: ${(e as Error).message}`);
      }
    }
    if (name !== '') matchers.push(new Matcher('=', '__name__', name));
    return this.at({ type: 'VectorSelector', name, matchers, offset: 0, at: undefined }, n.from, n.to);
  }

  private unary(n: SyntaxNode): Expr {
    const op = this.text(n.getChild('UnaryOp')!) as '-' | '+';
    const inner = this.build(this.exprChildren(n)[0]!);
    if (inner.type === 'NumberLiteral') {
      return this.at({ type: 'NumberLiteral', value: op === '-' ? -inner.value : inner.value }, n.from, n.to);
    }
    return this.at({ type: 'UnaryExpr', op, expr: inner }, n.from, n.to);
  }

  private binary(n: SyntaxNode): Expr {
    const [l, r] = this.exprChildren(n);
    let opNode: SyntaxNode | null = null;
    for (let c = l!.nextSibling; c !== null && c !== r; c = c.nextSibling) if (c.name in BIN_OPS) { opNode = c; break; }
    if (opNode === null) return this.unexpected(l!.nextSibling ?? n, '');
    if (n.getChild('FillModifier') !== null) this.unexpected(n.getChild('FillModifier')!, '');
    const op = BIN_OPS[opNode.name]!;
    // lezer binds a sign to a number literal tighter than `^`; Prometheus 2.42 gives unary minus the
    // precedence of `*`, so `-1 ^ 2` is `-(1 ^ 2)`.
    if (op === '^' && l!.name === 'NumberDurationLiteral' && /^[-+]/.test(this.text(l!))) {
      return this.signedPow(n, l!, opNode, r!);
    }
    const lhs = this.build(l!);
    const rhs = this.build(r!);
    const returnBool = n.getChild('BoolModifier') !== null;
    const mm = n.getChild('MatchingModifierClause');
    let card: MatchCardinality = 'one-to-one';
    let on = false;
    let labels: string[] = [];
    let include: string[] = [];
    if (mm !== null) {
      on = mm.getChild('On') !== null;
      const groups = mm.getChildren('GroupingLabels');
      labels = this.grouping(groups[0]!);
      if (mm.getChild('GroupLeft') !== null) card = 'many-to-one';
      if (mm.getChild('GroupRight') !== null) card = 'one-to-many';
      if (groups[1] !== undefined) include = this.grouping(groups[1]);
    }
    const e: Expr = { type: 'BinaryExpr', op, lhs, rhs, matching: { card, on, labels, include }, returnBool };
    this.opPos.set(e, opNode.from);
    return this.at(e, n.from, n.to);
  }

  private signedPow(n: SyntaxNode, l: SyntaxNode, opNode: SyntaxNode, r: SyntaxNode): Expr {
    const signed = this.number(l);
    if (signed.type !== 'NumberLiteral') return signed;
    const neg = this.text(l).startsWith('-');
    const base = this.at({ type: 'NumberLiteral' as const, value: neg ? -signed.value : signed.value }, l.from + 1, l.to);
    const rhs = this.build(r);
    const pow: Expr = { type: 'BinaryExpr', op: '^', lhs: base, rhs, matching: { card: 'one-to-one', on: false, labels: [], include: [] }, returnBool: false };
    this.opPos.set(pow, opNode.from);
    this.at(pow, l.from + 1, n.to);
    return this.at({ type: 'UnaryExpr', op: neg ? '-' : '+', expr: pow }, n.from, n.to);
  }

  private grouping(g: SyntaxNode): string[] {
    const out: string[] = [];
    for (let c = g.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === 'QuotedLabelName') this.unexpected(c, 'grouping opts');
      if (c.name !== 'LabelName') continue;
      const t = this.tok(c.from);
      if (t !== undefined && t.kind === 'NUMBER') this.unexpected(c, 'grouping opts');
      out.push(this.text(c));
    }
    return out;
  }

  private args(body: SyntaxNode): Expr[] {
    return this.exprChildren(body).map((c) => this.build(c));
  }

  private call(n: SyntaxNode): Expr {
    const id = n.getChild('FunctionIdentifier')!;
    const name = this.text(id);
    const func = getFunction(name);
    const args = this.args(n.getChild('FunctionCallBody')!);
    if (func === undefined) return fail(id.from, `unknown function with name ${JSON.stringify(name)}`);
    return this.at({ type: 'Call', func, args }, n.from, n.to);
  }

  private aggregate(n: SyntaxNode): Expr {
    const opNode = n.getChild('AggregateOp')!;
    const op = this.text(opNode).toLowerCase();
    if (!AGGREGATE_OPS.has(op)) return fail(opNode.from, `unknown function with name ${JSON.stringify(this.text(opNode))}`);
    const mod = n.getChild('AggregateModifier');
    const grouping = mod === null ? [] : this.grouping(mod.getChild('GroupingLabels')!);
    const without = mod !== null && mod.getChild('Without') !== null;
    const args = this.args(n.getChild('FunctionCallBody')!);
    const aop = op as AggregateOp;
    if (args.length === 0) return fail(n.from, 'no arguments for aggregate expression provided');
    const want = aggregateHasParam(aop) ? 2 : 1;
    if (args.length !== want) {
      return fail(n.from, `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`);
    }
    return this.at({ type: 'AggregateExpr', op: aop, expr: args[want - 1]!, param: want === 2 ? args[0] : undefined, grouping, without }, n.from, n.to);
  }

  private matrix(n: SyntaxNode): Expr {
    return this.postfix(this.build(this.exprChildren(n)[0]!), (inner) => this.matrixOf(inner, n));
  }

  private matrixOf(inner: Expr, n: SyntaxNode): Expr {
    const open = this.input.indexOf('[', this.positions.get(inner)?.end ?? n.from);
    if (inner.type !== 'VectorSelector') return fail(open, 'ranges only allowed for vector selectors');
    if (inner.offset !== 0) return fail(open, 'no offset modifiers allowed before range');
    if (inner.at !== undefined) return fail(open, 'no @ modifiers allowed before range');
    const range = this.duration(n.getChild('DurationExpr')!, 'subquery or range');
    return this.at({ type: 'MatrixSelector', vectorSelector: inner, range }, this.startOf(inner, n), n.to);
  }

  private subquery(n: SyntaxNode): Expr {
    return this.postfix(this.build(this.exprChildren(n)[0]!), (inner) => this.subqueryOf(inner, n));
  }

  private subqueryOf(expr: Expr, n: SyntaxNode): Expr {
    const ds = n.getChildren('DurationExpr');
    const range = this.duration(ds[0]!, 'subquery or range');
    const step = ds[1] === undefined ? 0 : this.duration(ds[1], 'subquery selector');
    return this.at({ type: 'SubqueryExpr', expr, range, step, offset: 0, at: undefined }, this.startOf(expr, n), n.to);
  }

  private offset(n: SyntaxNode): Expr {
    const base = this.build(this.exprChildren(n)[0]!);
    let d = n.getChild('OffsetDurationExpr')!;
    let sign = 1;
    const u = d.getChild('UnaryOp');
    if (u !== null) {
      if (this.text(u) !== '-') this.unexpected(u, 'offset');
      sign = -1;
      d = d.getChild('OffsetDurationExpr')!;
      if (d.getChild('UnaryOp') !== null) this.unexpected(d, 'offset');
    }
    const ms = sign * this.duration(d, 'offset');
    return this.postfix(base, (b) => this.modify(b, n, (o) => {
      if (o.offset !== 0) return fail(n.from, 'offset may not be set multiple times');
      return { offset: ms };
    }, 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery'));
  }

  private atModifier(n: SyntaxNode): Expr {
    const base = this.build(this.exprChildren(n)[0]!);
    let at: AtModifier;
    const pre = n.getChild('AtModifierPreprocessors');
    if (pre !== null) {
      at = pre.getChild('AtStart') !== null ? 'start' : 'end';
    } else {
      const lit = n.getChild('NumberDurationLiteral')!;
      const v = this.number(lit, '@');
      const ts = v.type === 'NumberLiteral' ? v.value : NaN;
      if (!Number.isFinite(ts) || ts >= 9223372036854775807 || ts <= -9223372036854775808) {
        fail(n.from, `timestamp out of bounds for @ modifier: ${goFixed6(ts)}`);
      }
      // Go's math.Round: halves away from zero (Math.round takes -0.5 up to 0).
      const ms = Math.sign(ts) * Math.round(Math.abs(ts * 1000));
      at = { time: ms === 0 ? 0 : ms };
    }
    return this.postfix(base, (b) => this.modify(b, n, (o) => {
      if (o.at !== undefined) return fail(n.from, '@ <timestamp> may not be set multiple times');
      return { at };
    }, '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery'));
  }

  /**
   * lezer-promql attaches `offset`, `@`, `[range]` and `[range:step]` to the whole binary or unary
   * expression before them; in Prometheus they bind tightest, to the rightmost operand.
   */
  private postfix(base: Expr, apply: (e: Expr) => Expr): Expr {
    const pos = this.positions.get(base);
    const keep = <T extends Expr>(e: T): T => { if (pos !== undefined) this.positions.set(e, pos); return e; };
    if (base.type === 'BinaryExpr') {
      const e = keep({ ...base, rhs: this.postfix(base.rhs, apply) });
      const op = this.opPos.get(base);
      if (op !== undefined) this.opPos.set(e, op);
      return e;
    }
    if (base.type === 'UnaryExpr') return keep({ ...base, expr: this.postfix(base.expr, apply) });
    return apply(base);
  }

  /** Applies an offset/@ change to a selector, range selector (its inner selector) or subquery. */
  private modify(base: Expr, n: SyntaxNode, change: (o: { offset: number; at: AtModifier | undefined }) => Partial<{ offset: number; at: AtModifier }>, err: string): Expr {
    switch (base.type) {
      case 'VectorSelector': return this.at({ ...base, ...change(base) }, this.startOf(base, n), n.to);
      case 'SubqueryExpr': return this.at({ ...base, ...change(base) }, this.startOf(base, n), n.to);
      case 'MatrixSelector': {
        const vs = { ...base.vectorSelector, ...change(base.vectorSelector) };
        this.positions.set(vs, this.positions.get(base.vectorSelector) ?? { start: n.from, end: n.to });
        return this.at({ ...base, vectorSelector: vs }, this.startOf(base, n), n.to);
      }
      default: return fail(this.positions.get(base)?.start ?? n.from, err);
    }
  }
}

/** Go's `%f`: six decimals. */
function goFixed6(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}
