/**
 * `format_query`'s output: Prometheus 2.42's `Pretty(0)` (promql/parser/prettier.go). A node whose
 * one-line form (our printer, equal to 2.42's `String()`) is at most 100 bytes stays on one line;
 * longer aggregations, binary operations, calls, parentheses and subqueries are split over lines
 * with two-space indentation per level, exactly where 2.42 splits them (including its quirk of not
 * indenting an unsplit subquery).
 */
import type { Expr } from '../parser/ast.js';
import { printExpr } from '../parser/printer.js';

const MAX_LINE_BYTES = 100;

const indent = (level: number): string => '  '.repeat(level);
const needsSplit = (text: string): boolean => Buffer.byteLength(text, 'utf8') > MAX_LINE_BYTES;

/** The expression formatted as 2.42's `Pretty(level)`. */
export function prettyExpr(e: Expr, level = 0): string {
  const text = printExpr(e);
  switch (e.type) {
    case 'AggregateExpr': {
      if (!needsSplit(text)) return indent(level) + text;
      const inner = (e.param === undefined ? '' : printExpr(e.param) + ', ') + printExpr(e.expr);
      const opStr = text.slice(0, text.length - inner.length - 2);
      let s = indent(level) + opStr + '(\n';
      if (e.param !== undefined) s += prettyExpr(e.param, level + 1) + ',\n';
      return s + prettyExpr(e.expr, level + 1) + '\n' + indent(level) + ')';
    }
    case 'BinaryExpr': {
      if (!needsSplit(text)) return indent(level) + text;
      const l = printExpr(e.lhs), r = printExpr(e.rhs);
      const middle = text.slice(l.length + 1, text.length - r.length - 1);
      return prettyExpr(e.lhs, level + 1) + '\n' + indent(level) + middle + '\n' + prettyExpr(e.rhs, level + 1);
    }
    case 'Call': {
      if (!needsSplit(text)) return indent(level) + text;
      const args = e.args.map((a) => prettyExpr(a, level + 1)).join(',\n');
      return indent(level) + e.func.name + '(\n' + args + '\n' + indent(level) + ')';
    }
    case 'ParenExpr':
      if (!needsSplit(text)) return indent(level) + text;
      return indent(level) + '(\n' + prettyExpr(e.expr, level + 1) + '\n' + indent(level) + ')';
    case 'SubqueryExpr': {
      if (!needsSplit(text)) return text;
      return prettyExpr(e.expr, level) + text.slice(printExpr(e.expr).length);
    }
    case 'UnaryExpr':
      return indent(level) + e.op + prettyExpr(e.expr, level).trim();
    default:
      return indent(level) + text;
  }
}
