/** PromQL engine (Prometheus 2.42 semantics). See README.md. */
export { Engine, type EngineOptions } from './engine.js';
export type { QueryResult, QueryValue, ScalarResult, StringResult, VectorResult, MatrixResult, MatrixSeries, Sample } from './result.js';
export {
  PromqlExecutionError, PromqlTooManySamplesError, PromqlTimeoutError, PromqlCanceledError, PromqlBadQueryError,
  nativeHistogramsUnsupported,
} from './errors.js';
export { runTestScript, runTestScriptText, testEngine, ScriptFileError, type ScriptReport, type EvalOutcome } from './script/runner.js';
