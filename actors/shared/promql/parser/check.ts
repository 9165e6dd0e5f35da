import {
  documentedType, exprType, isComparisonOp, isSetOp, type BinaryExpr, type Expr, type ValueType, type VectorMatching,
} from './ast.js';
import type { PosRange } from './build.js';
import { PositionedFailure } from './errors.js';

/**
 * Type-checks a freshly built AST the way Prometheus 2.42's `checkAST` does (same order, same
 * messages) and normalises binary-expression matching: removed when a side is scalar, forced to
 * many-to-many for set operators. Throws PositionedFailure on the first error.
 */
export class TypeChecker {
  constructor(
    private readonly positions: WeakMap<Expr, PosRange>,
    private readonly opPos: WeakMap<Expr, number>,
  ) {}

  private pos(e: Expr): number { return this.positions.get(e)?.start ?? 0; }

  private fail(at: number, msg: string): never { throw new PositionedFailure(at, msg); }

  private expectType(e: Expr, want: ValueType, context: string): void {
    const t = this.check(e);
    if (t !== want) this.fail(this.pos(e), `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`);
  }

  /** Checks `e` and its children; returns its type. */
  check(e: Expr): ValueType {
    const t = exprType(e);
    switch (e.type) {
      case 'AggregateExpr':
        this.expectType(e.expr, 'vector', 'aggregation expression');
        if (e.op === 'topk' || e.op === 'bottomk' || e.op === 'quantile') this.expectType(e.param!, 'scalar', 'aggregation parameter');
        if (e.op === 'count_values') this.expectType(e.param!, 'string', 'aggregation parameter');
        break;
      case 'BinaryExpr': this.binary(e); break;
      case 'Call': {
        const f = e.func;
        const nargs = f.argTypes.length;
        if (f.variadic === 0) {
          if (nargs !== e.args.length) this.fail(this.pos(e), `expected ${nargs} argument(s) in call to ${JSON.stringify(f.name)}, got ${e.args.length}`);
        } else {
          const na = nargs - 1;
          if (na > e.args.length) {
            this.fail(this.pos(e), `expected at least ${na} argument(s) in call to ${JSON.stringify(f.name)}, got ${e.args.length}`);
          } else if (f.variadic > 0 && na + f.variadic < e.args.length) {
            this.fail(this.pos(e), `expected at most ${na + f.variadic} argument(s) in call to ${JSON.stringify(f.name)}, got ${e.args.length}`);
          }
        }
        e.args.forEach((arg, i) => {
          if (i >= nargs && f.variadic === 0) return;
          this.expectType(arg, f.argTypes[Math.min(i, nargs - 1)]!, `call to function ${JSON.stringify(f.name)}`);
        });
        break;
      }
      case 'ParenExpr': this.check(e.expr); break;
      case 'UnaryExpr': {
        const it = this.check(e.expr);
        if (it !== 'scalar' && it !== 'vector') {
          this.fail(this.pos(e), `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(documentedType(it))}`);
        }
        break;
      }
      case 'SubqueryExpr': {
        const it = this.check(e.expr);
        if (it !== 'vector') this.fail(this.pos(e), `subquery is only allowed on instant vector, got ${it} instead`);
        break;
      }
      case 'MatrixSelector': this.check(e.vectorSelector); break;
      case 'VectorSelector': {
        if (e.name !== '') {
          for (const m of e.matchers.slice(0, -1)) {
            if (m.name === '__name__') this.fail(this.pos(e), `metric name must not be set twice: ${JSON.stringify(e.name)} or ${JSON.stringify(m.value)}`);
          }
          break;
        }
        if (!e.matchers.some((m) => !m.matchesEmpty())) this.fail(this.pos(e), 'vector selector must contain at least one non-empty matcher');
        break;
      }
      default: break;
    }
    return t;
  }

  private binary(e: BinaryExpr): void {
    const lt = this.check(e.lhs);
    const rt = this.check(e.rhs);
    const opAt = this.opPos.get(e) ?? this.pos(e);
    const m = e.matching!;
    const mut = e as { matching: VectorMatching | undefined };
    if (e.returnBool && !isComparisonOp(e.op)) this.fail(opAt, 'bool modifier can only be used on comparison operators');
    if (isComparisonOp(e.op) && !e.returnBool && exprType(e.rhs) === 'scalar' && exprType(e.lhs) === 'scalar') {
      this.fail(opAt, 'comparisons between scalars must use BOOL modifier');
    }
    let card = m.card;
    if (isSetOp(e.op) && card === 'one-to-one') card = 'many-to-many';
    if (m.on) {
      for (const l of m.labels) if (m.include.includes(l)) this.fail(opAt, `label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`);
    }
    if (lt !== 'scalar' && lt !== 'vector') this.fail(this.pos(e.lhs), 'binary expression must contain only scalar and instant vector types');
    if (rt !== 'scalar' && rt !== 'vector') this.fail(this.pos(e.rhs), 'binary expression must contain only scalar and instant vector types');
    if (lt !== 'vector' || rt !== 'vector') {
      if (m.labels.length > 0) this.fail(this.pos(e), 'vector matching only allowed between instant vectors');
      mut.matching = undefined;
    } else {
      if (isSetOp(e.op)) {
        if (card === 'one-to-many' || card === 'many-to-one') this.fail(this.pos(e), `no grouping allowed for ${JSON.stringify(e.op)} operation`);
      }
      mut.matching = { ...m, card };
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSetOp(e.op)) {
      this.fail(this.pos(e), `set operator ${JSON.stringify(e.op)} not allowed in binary scalar expression`);
    }
  }
}
