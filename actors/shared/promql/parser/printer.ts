import type { AtModifier, Expr, VectorMatching, VectorSelector } from './ast.js';
import { formatDuration } from './duration.js';
import { formatGoFloat, quoteString } from './literals.js';

/**
 * Prints an expression as PromQL, in Prometheus 2.42's style (`sum by (job) (rate(x[5m]))`,
 * `x @ 10.000 offset 1m`). Guarantee: `parseExpr(printExpr(e))` yields an AST equal to `e` for every
 * `e` produced by parseExpr. Unlike Prometheus, matchers keep their source order and a grouped
 * `ignoring ()` clause is kept.
 */
export function printExpr(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral': return formatGoFloat(e.value);
    case 'StringLiteral': return quoteString(e.value);
    case 'VectorSelector': return printSelector(e) + modifiers(e.at, e.offset);
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      return `${printSelector(vs)}[${formatDuration(e.range)}]${modifiers(vs.at, vs.offset)}`;
    }
    case 'SubqueryExpr':
      return `${printExpr(e.expr)}[${formatDuration(e.range)}:${e.step === 0 ? '' : formatDuration(e.step)}]${modifiers(e.at, e.offset)}`;
    case 'Call': return `${e.func.name}(${e.args.map(printExpr).join(', ')})`;
    case 'AggregateExpr': {
      let s: string = e.op;
      if (e.without) s += ` without (${e.grouping.join(', ')}) `;
      else if (e.grouping.length > 0) s += ` by (${e.grouping.join(', ')}) `;
      return `${s}(${e.param === undefined ? '' : `${printExpr(e.param)}, `}${printExpr(e.expr)})`;
    }
    case 'BinaryExpr':
      return `${printExpr(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${matching(e.matching)} ${printExpr(e.rhs)}`;
    case 'UnaryExpr': return `${e.op}${printExpr(e.expr)}`;
    case 'ParenExpr': return `(${printExpr(e.expr)})`;
  }
}

function printSelector(vs: VectorSelector): string {
  const ms = vs.name === '' ? vs.matchers : vs.matchers.slice(0, -1);
  const inner = ms.map((m) => `${m.name}${m.type}${quoteString(m.value)}`).join(',');
  return ms.length === 0 ? vs.name : `${vs.name}{${inner}}`;
}

function modifiers(at: AtModifier | undefined, offset: number): string {
  let s = '';
  if (at === 'start' || at === 'end') s += ` @ ${at}()`;
  else if (at !== undefined) s += ` @ ${(at.time / 1000).toFixed(3)}`;
  if (offset !== 0) s += ` offset ${formatDuration(offset)}`;
  return s;
}

function matching(m: VectorMatching | undefined): string {
  if (m === undefined) return '';
  const grouped = m.card === 'many-to-one' || m.card === 'one-to-many';
  if (m.labels.length === 0 && !m.on && !grouped) return '';
  let s = ` ${m.on ? 'on' : 'ignoring'} (${m.labels.join(', ')})`;
  if (grouped) s += ` group_${m.card === 'many-to-one' ? 'left' : 'right'} (${m.include.join(', ')})`;
  return s;
}
