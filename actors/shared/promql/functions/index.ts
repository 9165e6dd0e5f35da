/** Numeric kernels of the PromQL engine (Prometheus 2.42 semantics). See README.md. */
export { extrapolatedRate, rate, increase, delta, irate, idelta, durationSeconds } from './extrapolated-rate.js';
export { linearRegression, regressionIntercept, deriv, predictLinear } from './regression.js';
export { holtWinters, holtWintersFactorError } from './holt-winters.js';
export {
  sumOverTime, avgOverTime, countOverTime, lastOverTime, presentOverTime, maxOverTime, minOverTime,
  stdvarOverTime, stddevOverTime, quantileOverTime, changes, resets,
} from './over-time.js';
export { quantile } from './quantile.js';
export { aggSum, aggAvg, aggMax, aggMin, aggCount, aggGroup, aggStdvar, aggStddev, aggQuantile } from './aggregate.js';
export { selectTopk, topkCount, topkParamError } from './topk.js';
export { bucketQuantile } from './histogram-quantile.js';
export { sortOrder } from './sort.js';
export { goSort, type SortOps } from './go-sort.js';
export { parseGoFloat } from './parse-go-float.js';
export * as math from './math.js';
export * as date from './date.js';
export {
  add, sub, mul, div, mod, pow, atan2, compare, compareBool, arithmeticKernel, comparisonKernel,
  type ArithmeticOp, type ComparisonOp,
} from './binop.js';
export { goPow, goMod, goLog, goLog2, goLog10, goFloatToInt64, frexp, ldexp } from './go-math.js';
export { goExp, goExpNoFma, fma } from './go-exp.js';
export { goAtan, goAtan2, goAsin, goAcos, goSinh, goCosh, goTanh, goAsinh, goAcosh, goAtanh } from './go-trig.js';
export { goSin, goCos, goTan } from './go-sin.js';
export { KahanSum } from './kahan.js';
