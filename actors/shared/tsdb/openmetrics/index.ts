export { OpenMetricsParser, type OmSample, type OmFamilyMeta } from './parser.js';
export { readOpenMetrics, parseOpenMetricsFile } from './read.js';
export { parseGoFloat, GO_NAN } from './parse-float.js';
export { OpenMetricsParseError } from './errors.js';
