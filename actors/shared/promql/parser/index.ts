export * from './ast.js';
export { FUNCTIONS, getFunction, type FunctionDef } from './functions.js';
export { ParseError } from './errors.js';
export { parseExpr, tryParse } from './parse.js';
export { printExpr } from './printer.js';
export { parseDuration, formatDuration, DurationSyntaxError, MAX_DURATION_MS } from './duration.js';
export { parseNumberLiteral, unquoteString, quoteString, formatGoFloat } from './literals.js';
