import type { AtModifier, Expr, VectorMatching, VectorSelector } from './ast.js';
import { formatDuration } from './duration.js';
import { formatGoFloat, quoteString } from './literals.js';

/**
 * Prints an expression as PromQL, byte for byte as Prometheus 2.42's `String()` (`sum by (job)
 * (rate(x[5m]))`, `x{a="1",b!~"2"} @ 10.000 offset 1m`): a selector's matchers are printed sorted
 * by their bytes (see printSelector), `@` before `offset`, a matrix range before both.
 * Guarantee: `parseExpr(printExpr(e))` yields an AST equal to `e` up to the order of each
 * selector's matchers, for every `e` produced by parseExpr.
 *
 * One deliberate difference: 2.42 drops a grouped `ignoring ()` clause (`a * ignoring() group_left b`
 * prints as `a * b`, which means something else); we keep it, so the printed query keeps its meaning.
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

/**
 * 2.42's VectorSelector.String() without modifiers: every matcher as `name op "value"` (Go `%q`),
 * except `__name__="<the selector's name>"` (with no name before the braces that skips
 * `__name__=""` too), sorted as Go's sort.Strings does (by UTF-8 bytes), joined by `,`.
 */
function printSelector(vs: VectorSelector): string {
  const parts: Buffer[] = [];
  for (const m of vs.matchers) {
    if (m.name === '__name__' && m.type === '=' && m.value === vs.name) continue;
    parts.push(Buffer.from(`${m.name}${m.type}${quoteString(m.value)}`, 'utf8'));
  }
  if (parts.length === 0) return vs.name;
  return `${vs.name}{${parts.sort(Buffer.compare).map((b) => b.toString('utf8')).join(',')}}`;
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
