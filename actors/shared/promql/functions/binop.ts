/**
 * Scalar kernels of PromQL binary operators (Prometheus 2.42 engine.go `scalarBinop` /
 * `vectorElemBinop`). Arithmetic: `+ - * /` are IEEE (identical in JS and Go), `%` is Go
 * `math.Mod` (= JS `%`), `^` is Go `math.Pow` ({@link goPow}), `atan2` is Go `math.Atan2`.
 *
 * Comparisons between vector elements filter: {@link compare} says whether the pair is kept, and
 * a kept element keeps the **left** operand's value (for vector–scalar the engine passes the
 * vector's value as the kept one). With `bool` the result is {@link compareBool} (1 or 0) and
 * nothing is dropped. Any comparison involving NaN is false except `!=`, which is true.
 */
import { goPow } from './go-math.js';
import { goAtan2 } from './go-trig.js';

/** Arithmetic operators. */
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
/** Comparison operators. */
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';

export function add(a: number, b: number): number { return a + b; }
export function sub(a: number, b: number): number { return a - b; }
export function mul(a: number, b: number): number { return a * b; }
export function div(a: number, b: number): number { return a / b; }
/** `%` — Go `math.Mod`: exact, sign of the dividend, NaN for `x % 0` and `±Inf % y`, `x % ±Inf = x`. */
export function mod(a: number, b: number): number { return a % b; }
/** `^` — Go `math.Pow`. */
export const pow = goPow;
/** `atan2` — Go `math.Atan2`. */
export const atan2 = goAtan2;

/** The kernel of an arithmetic operator (resolve once per node, not per sample). */
export function arithmeticKernel(op: ArithmeticOp): (a: number, b: number) => number {
  switch (op) {
    case '+': return add;
    case '-': return sub;
    case '*': return mul;
    case '/': return div;
    case '%': return mod;
    case '^': return pow;
    case 'atan2': return atan2;
  }
}

/** Whether `a op b` holds (IEEE comparison; NaN makes all but `!=` false). */
export function compare(op: ComparisonOp, a: number, b: number): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '>': return a > b;
    case '<': return a < b;
    case '>=': return a >= b;
    case '<=': return a <= b;
  }
}

/** The `bool` form: 1 when {@link compare} holds, else 0. */
export function compareBool(op: ComparisonOp, a: number, b: number): number {
  return compare(op, a, b) ? 1 : 0;
}

/** The kernel of a comparison operator (resolve once per node, not per sample). */
export function comparisonKernel(op: ComparisonOp): (a: number, b: number) => boolean {
  switch (op) {
    case '==': return (a, b) => a === b;
    case '!=': return (a, b) => a !== b;
    case '>': return (a, b) => a > b;
    case '<': return (a, b) => a < b;
    case '>=': return (a, b) => a >= b;
    case '<=': return (a, b) => a <= b;
  }
}
