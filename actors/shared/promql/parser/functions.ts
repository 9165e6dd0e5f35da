import type { ValueType } from './ast.js';

/**
 * A PromQL function signature, as in Prometheus 2.42's function table. `variadic`: 0 = exactly
 * `argTypes.length` arguments; n > 0 = the last argument type may be omitted or repeated up to n
 * times in total (min `argTypes.length - 1`, max `argTypes.length - 1 + n`); -1 = the last type
 * repeats without limit (min `argTypes.length - 1`).
 */
export interface FunctionDef {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  readonly variadic: number;
  readonly returnType: ValueType;
  /**
   * Native-histogram functions: documented as experimental in 2.42 (they parse without a feature
   * flag; over float samples they return nothing). 2.42 has no experimental-functions flag.
   */
  readonly experimental: boolean;
}

const S: ValueType = 'scalar';
const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const STR: ValueType = 'string';

type Row = [name: string, args: ValueType[], ret: ValueType, variadic?: number, experimental?: boolean];

const vecToVec = ['abs', 'absent', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'ceil', 'cos', 'cosh', 'deg',
  'exp', 'floor', 'ln', 'log10', 'log2', 'rad', 'sgn', 'sin', 'sinh', 'sort', 'sort_desc', 'sqrt', 'tan', 'tanh',
  'timestamp'];
const rangeToVec = ['absent_over_time', 'avg_over_time', 'changes', 'count_over_time', 'delta', 'deriv', 'idelta',
  'increase', 'irate', 'last_over_time', 'max_over_time', 'min_over_time', 'present_over_time', 'rate', 'resets',
  'stddev_over_time', 'stdvar_over_time', 'sum_over_time'];
const dateFns = ['days_in_month', 'day_of_month', 'day_of_week', 'day_of_year', 'hour', 'minute', 'month', 'year'];

const rows: Row[] = [
  ...vecToVec.map((n): Row => [n, [V], V]),
  ...rangeToVec.map((n): Row => [n, [M], V]),
  ...dateFns.map((n): Row => [n, [V], V, 1]),
  ['clamp', [V, S, S], V],
  ['clamp_max', [V, S], V],
  ['clamp_min', [V, S], V],
  ['histogram_count', [V], V, 0, true],
  ['histogram_sum', [V], V, 0, true],
  ['histogram_fraction', [S, S, V], V, 0, true],
  ['histogram_quantile', [S, V], V],
  ['holt_winters', [M, S, S], V],
  ['label_replace', [V, STR, STR, STR, STR], V],
  ['label_join', [V, STR, STR, STR], V, -1],
  ['pi', [], S],
  ['predict_linear', [M, S], V],
  ['quantile_over_time', [S, M], V],
  ['round', [V, S], V, 1],
  ['scalar', [V], S],
  ['time', [], S],
  ['vector', [S], V],
];

/** Every function Prometheus 2.42 knows, by name. Names not in this table are parse errors. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(rows.map(([name, argTypes, returnType, variadic, experimental]) =>
  [name, Object.freeze({ name, argTypes: Object.freeze(argTypes), variadic: variadic ?? 0, returnType, experimental: experimental ?? false })]));

/** Looks a function up by its exact (case-sensitive) name. */
export function getFunction(name: string): FunctionDef | undefined {
  return FUNCTIONS.get(name);
}
