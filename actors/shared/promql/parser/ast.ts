import type { Matcher } from '../../labels/matcher.js';
import type { FunctionDef } from './functions.js';

/** The four PromQL value types, as Prometheus 2.42 type-checks them. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** `@` modifier: an absolute time in ms (rounded like Prometheus), or the query's start/end. */
export type AtModifier = { readonly time: number } | 'start' | 'end';

export type AggregateOp =
  | 'sum' | 'avg' | 'count' | 'min' | 'max' | 'group' | 'stddev' | 'stdvar'
  | 'topk' | 'bottomk' | 'count_values' | 'quantile';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type MatchCardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/**
 * Vector matching of a binary expression between two instant vectors. Absent (undefined) on the
 * BinaryExpr when either side is a scalar, as in Prometheus. Set operators always have
 * `many-to-many`.
 */
export interface VectorMatching {
  readonly card: MatchCardinality;
  /** true for `on(...)`, false for `ignoring(...)` or no clause. */
  readonly on: boolean;
  /** The `on`/`ignoring` label list (empty when no clause). */
  readonly labels: readonly string[];
  /** The `group_left`/`group_right` extra labels. */
  readonly include: readonly string[];
}

export interface NumberLiteral { readonly type: 'NumberLiteral'; readonly value: number }
export interface StringLiteral { readonly type: 'StringLiteral'; readonly value: string }

/**
 * An instant vector selector. `matchers` holds every matcher the selector applies; when `name`
 * is set the last matcher is `__name__="<name>"` (Prometheus' convention), so evaluators only need
 * `matchers`. `offset` is in ms (0 = none, may be negative).
 */
export interface VectorSelector {
  readonly type: 'VectorSelector';
  readonly name: string;
  readonly matchers: readonly Matcher[];
  readonly offset: number;
  readonly at: AtModifier | undefined;
}

/** `sel[range]`; offset and `@` live on the inner selector. `range` in ms, > 0. */
export interface MatrixSelector {
  readonly type: 'MatrixSelector';
  readonly vectorSelector: VectorSelector;
  readonly range: number;
}

/** `expr[range:step]`; step 0 means "default evaluation interval". All times in ms. */
export interface SubqueryExpr {
  readonly type: 'SubqueryExpr';
  readonly expr: Expr;
  readonly range: number;
  readonly step: number;
  readonly offset: number;
  readonly at: AtModifier | undefined;
}

export interface Call {
  readonly type: 'Call';
  readonly func: FunctionDef;
  readonly args: readonly Expr[];
}

export interface AggregateExpr {
  readonly type: 'AggregateExpr';
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** The parameter of topk/bottomk/quantile/count_values, undefined otherwise. */
  readonly param: Expr | undefined;
  readonly grouping: readonly string[];
  readonly without: boolean;
}

export interface BinaryExpr {
  readonly type: 'BinaryExpr';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly matching: VectorMatching | undefined;
  readonly returnBool: boolean;
}

/** Unary minus/plus on a non-literal (a minus on a number literal is folded into the literal). */
export interface UnaryExpr { readonly type: 'UnaryExpr'; readonly op: '-' | '+'; readonly expr: Expr }
export interface ParenExpr { readonly type: 'ParenExpr'; readonly expr: Expr }

/** A parsed PromQL expression: a discriminated union on `type`. */
export type Expr =
  | NumberLiteral | StringLiteral | VectorSelector | MatrixSelector | SubqueryExpr
  | Call | AggregateExpr | BinaryExpr | UnaryExpr | ParenExpr;

export const AGGREGATE_OPS: ReadonlySet<string> = new Set<AggregateOp>([
  'sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'count_values', 'quantile',
]);

/** Aggregations that take a parameter before the vector. */
export function aggregateHasParam(op: AggregateOp): boolean {
  return op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values';
}

export function isComparisonOp(op: BinaryOp): op is ComparisonOp {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

export function isSetOp(op: BinaryOp): op is SetOp {
  return op === 'and' || op === 'or' || op === 'unless';
}

/** The value type an expression evaluates to (Prometheus' `Expr.Type()`). */
export function exprType(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral': return 'scalar';
    case 'StringLiteral': return 'string';
    case 'VectorSelector': return 'vector';
    case 'MatrixSelector': return 'matrix';
    case 'SubqueryExpr': return 'matrix';
    case 'Call': return e.func.returnType;
    case 'AggregateExpr': return 'vector';
    case 'BinaryExpr': return exprType(e.lhs) === 'scalar' && exprType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'UnaryExpr': return exprType(e.expr);
    case 'ParenExpr': return exprType(e.expr);
  }
}

/** Prometheus' documented names of value types, used in error messages. */
export function documentedType(t: ValueType | 'none'): string {
  switch (t) {
    case 'vector': return 'instant vector';
    case 'matrix': return 'range vector';
    default: return t;
  }
}

/** Calls `fn` on `e` and every descendant, parents first. */
export function walk(e: Expr, fn: (node: Expr) => void): void {
  fn(e);
  for (const c of children(e)) walk(c, fn);
}

/** The direct sub-expressions of a node, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.type) {
    case 'MatrixSelector': return [e.vectorSelector];
    case 'SubqueryExpr': case 'UnaryExpr': case 'ParenExpr': return [e.expr];
    case 'Call': return [...e.args];
    case 'AggregateExpr': return e.param === undefined ? [e.expr] : [e.param, e.expr];
    case 'BinaryExpr': return [e.lhs, e.rhs];
    default: return [];
  }
}
