import { defineDomainError } from '../../errors/domain-error.js';

/**
 * A malformed PromQL test script. Message `line <n>: <what>` (1-based line of the script);
 * data = { line }. Not retryable.
 */
export const TestScriptError = defineDomainError('PROMQL_TESTSCRIPT', false, 'TestScriptError');
export type TestScriptError = InstanceType<typeof TestScriptError>;

export function scriptError(line: number, msg: string, cause?: unknown): TestScriptError {
  return new TestScriptError(`line ${line}: ${msg}`, { data: { line }, cause });
}

/** Thrown by the series parser; the script parser adds the line number. */
export class SeriesSyntaxError extends Error {}
