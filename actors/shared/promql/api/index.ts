/** Prometheus 2.42 HTTP API (query, query_range, series, labels, label values, metadata, buildinfo). See README.md. */
export { mountPrometheusApi, apiHandler, labelNameFromPath, PROMETHEUS_API_ROUTES } from './mount.js';
export { engineOver, type QueryEngine, type PrometheusApiDeps, type BuildInfo, type MetricMetadata } from './deps.js';
export { handleQuery, handleQueryRange, handleFormatQuery, timeParam, STREAM_POINTS } from './query-handlers.js';
export { handleSeries, handleLabels, handleLabelValues, handleMetadata, handleBuildInfo } from './metadata-handlers.js';
export {
  PrometheusApiError, apiError, invalidParam, classifyError, successResponse, successStreamResponse, errorResponse, noContentResponse, ERROR_STATUS,
  type ApiErrorType,
} from './envelope.js';
export { FormValues, readForm, parseQueryInto } from './form.js';
export {
  parseTimeMs, parseRfc3339Ms, parseDurationNs, durationMs, exceedsMaxResolution, ParamSyntaxError,
  MIN_TIME_MS, MAX_TIME_MS, MIN_TIME_FORMATTED, MAX_TIME_FORMATTED,
} from './params.js';
export { parseMatcherSets, EMPTY_MATCHERS } from './matchers.js';
export { queryDataJson, queryDataChunks, pointCount, resultJson } from './result-json.js';
export { goJsonString, goJsonStringList, goJsonLabels } from './go-json.js';
export { compressResponse, pickEncoding } from './compression.js';
export { prettyExpr } from './pretty.js';
