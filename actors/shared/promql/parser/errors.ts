import { defineDomainError } from '../../errors/domain-error.js';

/**
 * A PromQL parse or type-check error. The message has Prometheus' shape
 * `<line>:<col>: parse error: <msg>` (line and column 1-based, column counted in UTF-8 bytes).
 * `data` = { position: char offset (UTF-16) of the error start, line, column, detail: <msg> }.
 * Not retryable.
 */
export const ParseError = defineDomainError('PROMQL_PARSE', false, 'ParseError');
export type ParseError = InstanceType<typeof ParseError>;

/** Builds a ParseError for `msg` at char offset `pos` of `input`. */
export function parseErrorAt(input: string, pos: number, msg: string): ParseError {
  const p = Math.max(0, Math.min(pos, input.length));
  const before = input.slice(0, p);
  const nl = before.lastIndexOf('\n');
  const line = before.split('\n').length;
  const column = Buffer.byteLength(before.slice(nl + 1), 'utf8') + 1;
  return new ParseError(`${line}:${column}: parse error: ${msg}`, { data: { position: p, line, column, detail: msg } });
}

/** An error found while building/checking, before it is placed in the input. */
export class PositionedFailure {
  constructor(readonly pos: number, readonly msg: string) {}
}
