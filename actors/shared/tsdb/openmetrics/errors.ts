import { defineDomainError } from '../../errors/domain-error.js';

/**
 * OpenMetrics text that `promtool tsdb create-blocks-from openmetrics` would reject. Not retryable.
 * `data = { file, line, column }` (1-based line and column of the offending token; column 0 when
 * the problem is the line as a whole or the end of input).
 */
export const OpenMetricsParseError = defineDomainError('TSDB_OPENMETRICS_PARSE', false, 'OpenMetricsParseError');
export type OpenMetricsParseError = InstanceType<typeof OpenMetricsParseError>;

export function parseError(file: string, line: number, column: number, what: string): OpenMetricsParseError {
  return new OpenMetricsParseError(`parsing openmetrics: ${what} (file ${file}, line ${line}${column > 0 ? `, column ${column}` : ''})`, {
    data: { file, line, column },
  });
}
