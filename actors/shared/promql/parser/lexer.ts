/**
 * A lexer with the token rules of Prometheus 2.42 (promql/parser/lex.go), used to reject input the
 * 2.42 lexer rejects (with its messages) and to describe the token at a syntax error. The tree
 * structure itself comes from lezer-promql (see parse.ts).
 */

export type TokenKind =
  | 'EOF' | 'IDENTIFIER' | 'METRIC_IDENTIFIER' | 'NUMBER' | 'DURATION' | 'STRING' | 'COMMENT'
  | 'PUNCT' | 'OPERATOR' | 'AGGREGATOR' | 'KEYWORD';

export interface Token { readonly kind: TokenKind; readonly val: string; readonly pos: number }

export interface LexResult {
  readonly tokens: Token[];
  /** The first lexer error (Prometheus' message), if any; lexing stops there. */
  readonly error: { readonly pos: number; readonly msg: string } | undefined;
}

const AGGREGATORS = new Set(['sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk',
  'count_values', 'quantile']);
const WORD_OPERATORS = new Set(['and', 'or', 'unless', 'atan2']);
const KEYWORDS = new Set(['offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'start', 'end']);

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlnum = (c: string): boolean => isAlpha(c) || isDigit(c);

/** Go's `%q` of a rune. */
export function goQuoteRune(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '\\') return "'\\\\'";
  const j = JSON.stringify(c);
  return `'${j.slice(1, -1)}'`;
}

class Scanner {
  pos = 0;
  start = 0;
  readonly tokens: Token[] = [];
  constructor(readonly s: string) {}
  peek(): string { return this.s[this.pos] ?? ''; }
  next(): string {
    const cp = this.s.codePointAt(this.pos);
    if (cp === undefined) return '';
    const ch = String.fromCodePoint(cp);
    this.pos += ch.length;
    return ch;
  }
  backup(ch: string): void { this.pos -= ch.length; }
  accept(set: string): boolean {
    const c = this.peek();
    if (c !== '' && set.includes(c)) { this.pos++; return true; }
    return false;
  }
  acceptRun(set: string): void { while (this.accept(set)); }
  emit(kind: TokenKind): void {
    this.tokens.push({ kind, val: this.s.slice(this.start, this.pos), pos: this.start });
    this.start = this.pos;
  }
  ignore(): void { this.start = this.pos; }
}

class LexFailure { constructor(readonly pos: number, readonly msg: string) {} }

/** Tokenizes `input` with Prometheus 2.42's rules (no series-description mode). */
export function lex2_42(input: string): LexResult {
  const l = new Scanner(input);
  let braceOpen = false; let bracketOpen = false; let gotColon = false; let parenDepth = 0;
  const fail = (msg: string): never => { throw new LexFailure(l.start, msg); };

  const scanNumber = (): boolean => {
    let digits = '0123456789';
    if (l.accept('0') && l.accept('xX')) digits = '0123456789abcdefABCDEF';
    l.acceptRun(digits);
    if (l.accept('.')) l.acceptRun(digits);
    if (l.accept('eE')) { l.accept('+-'); l.acceptRun('0123456789'); }
    return !isAlnum(l.peek());
  };
  const acceptRemainingDuration = (): boolean => {
    if (!l.accept('smhdwy')) return false;
    l.accept('s');
    while (l.accept('0123456789')) {
      l.acceptRun('0123456789');
      if (!l.accept('smhdw')) return false;
      l.accept('s');
    }
    const c = l.next();
    if (isAlnum(c)) return false;
    l.backup(c);
    return true;
  };
  const lexString = (quote: string): void => {
    for (;;) {
      const c = l.next();
      if (c === '\\') {
        const e = l.next();
        if ('abfnrtv\\'.includes(e) && e !== '' || e === quote) continue;
        let n = 0; let base = 16; let max = 0x10ffff;
        let ch = e;
        if (e >= '0' && e <= '7') { n = 3; base = 8; max = 255; }
        else if (e === 'x') { ch = l.next(); n = 2; max = 255; }
        else if (e === 'u') { ch = l.next(); n = 4; }
        else if (e === 'U') { ch = l.next(); n = 8; }
        else if (e === '') fail('escape sequence not terminated');
        else fail(`unknown escape sequence U+${e.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${e}'`);
        let x = 0;
        while (n > 0) {
          const d = ch === '' ? 16 : parseInt(ch, 16);
          if (Number.isNaN(d) || d >= base) {
            if (ch === '') fail('escape sequence not terminated');
            fail(`illegal character U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${ch}' in escape sequence`);
          }
          x = x * base + d;
          n--;
          if (n > 0) ch = l.next();
        }
        if (x > max || (x >= 0xd800 && x < 0xe000)) fail('escape sequence is an invalid Unicode code point');
        continue;
      }
      if (c === '' || c === '\n') fail('unterminated quoted string');
      if (c === quote) break;
    }
    l.emit('STRING');
  };
  const lexRawString = (): void => {
    for (;;) {
      const c = l.next();
      if (c === '') fail('unterminated raw string');
      if (c === '`') break;
    }
    l.emit('STRING');
  };

  try {
    for (;;) {
      if (l.s.startsWith('#', l.pos)) {
        while (l.pos < l.s.length && l.s[l.pos] !== '\n' && l.s[l.pos] !== '\r') l.pos++;
        l.emit('COMMENT');
        continue;
      }
      const r = l.next();
      if (braceOpen) {
        if (r === '') fail('unexpected end of input inside braces');
        else if (isSpace(r)) l.ignore();
        else if (isAlpha(r)) { while (isAlnum(l.peek())) l.pos++; l.emit('IDENTIFIER'); }
        else if (r === ',') l.emit('PUNCT');
        else if (r === '"' || r === "'") lexString(r);
        else if (r === '`') lexRawString();
        else if (r === '=') { l.accept('~'); l.emit(l.s[l.pos - 1] === '~' ? 'OPERATOR' : 'PUNCT'); }
        else if (r === '!') {
          const nr = l.next();
          if (nr === '~' || nr === '=') l.emit('OPERATOR');
          else fail(`unexpected character after '!' inside braces: ${goQuoteRune(nr)}`);
        } else if (r === '{') fail(`unexpected left brace ${goQuoteRune(r)}`);
        else if (r === '}') { l.emit('PUNCT'); braceOpen = false; }
        else fail(`unexpected character inside braces: ${goQuoteRune(r)}`);
        continue;
      }
      if (r === '') {
        if (parenDepth !== 0) fail('unclosed left parenthesis');
        if (bracketOpen) fail('unclosed left bracket');
        l.start = input.length; l.emit('EOF');
        return { tokens: l.tokens, error: undefined };
      }
      if (isSpace(r)) { l.ignore(); continue; }
      switch (r) {
        case ',': l.emit('PUNCT'); continue;
        case '*': case '/': case '%': case '+': case '-': case '^': case '@': l.emit('OPERATOR'); continue;
        case '=':
          if (l.peek() === '=') { l.pos++; l.emit('OPERATOR'); }
          else if (l.peek() === '~') fail(`unexpected character after '=': '~'`);
          else l.emit('PUNCT');
          continue;
        case '!': {
          const t = l.next();
          if (t === '=') l.emit('OPERATOR'); else fail(`unexpected character after '!': ${goQuoteRune(t)}`);
          continue;
        }
        case '<': case '>': l.accept('='); l.emit('OPERATOR'); continue;
        case '"': case "'": lexString(r); continue;
        case '`': lexRawString(); continue;
        case '(': l.emit('PUNCT'); parenDepth++; continue;
        case ')':
          l.emit('PUNCT'); parenDepth--;
          if (parenDepth < 0) fail(`unexpected right parenthesis ${goQuoteRune(r)}`);
          continue;
        case '{': l.emit('PUNCT'); braceOpen = true; continue;
        case '[':
          if (bracketOpen) fail(`unexpected left bracket ${goQuoteRune(r)}`);
          gotColon = false; l.emit('PUNCT');
          while (isSpace(l.peek())) l.pos++;
          l.ignore();
          bracketOpen = true;
          if (scanNumber()) fail('missing unit character in duration');
          if (!acceptRemainingDuration()) fail(`bad duration syntax: ${JSON.stringify(l.s.slice(l.start, l.pos))}`);
          l.emit('DURATION');
          continue;
        case ']':
          if (!bracketOpen) fail(`unexpected right bracket ${goQuoteRune(r)}`);
          l.emit('PUNCT'); bracketOpen = false; continue;
      }
      if (isDigit(r) || (r === '.' && isDigit(l.peek()))) {
        l.backup(r);
        if (scanNumber()) { l.emit('NUMBER'); continue; }
        if (acceptRemainingDuration()) { l.emit('DURATION'); continue; }
        fail(`bad number or duration syntax: ${JSON.stringify(l.s.slice(l.start, l.pos))}`);
      }
      if (isAlpha(r) || r === ':') {
        if (bracketOpen) {
          if (gotColon) fail(`unexpected colon ${goQuoteRune(r)}`);
          l.emit('PUNCT'); gotColon = true; continue;
        }
        while (isAlnum(l.peek()) || l.peek() === ':') l.pos++;
        const word = l.s.slice(l.start, l.pos).toLowerCase();
        if (word === 'inf' || word === 'nan') l.emit('NUMBER');
        else if (AGGREGATORS.has(word)) l.emit('AGGREGATOR');
        else if (WORD_OPERATORS.has(word)) l.emit('OPERATOR');
        else if (KEYWORDS.has(word)) l.emit('KEYWORD');
        else l.emit(word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER');
        continue;
      }
      fail(`unexpected character: ${goQuoteRune(r)}`);
    }
  } catch (e) {
    if (e instanceof LexFailure) return { tokens: l.tokens, error: { pos: e.pos, msg: e.msg } };
    throw e;
  }
}

/** Prometheus' description of a token in "unexpected ..." messages. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'EOF': return 'end of input';
    case 'IDENTIFIER': return `identifier ${JSON.stringify(t.val)}`;
    case 'METRIC_IDENTIFIER': return `metric identifier ${JSON.stringify(t.val)}`;
    case 'NUMBER': return `number ${clip(t.val)}`;
    case 'DURATION': return `duration ${clip(t.val)}`;
    case 'STRING': return `string ${clip(t.val)}`;
    case 'KEYWORD': return `<${t.val}>`;
    case 'OPERATOR': return `<op:${t.val}>`;
    case 'AGGREGATOR': return `<aggr:${t.val}>`;
    default: return JSON.stringify(t.val);
  }
}

function clip(v: string): string {
  return v.length > 10 ? `${JSON.stringify(v.slice(0, 10))}...` : JSON.stringify(v);
}

/** What Prometheus 2.42 says it expected, by syntax-error context. */
export const EXPECTED_IN: Readonly<Record<string, string>> = {
  offset: 'duration', '@': 'timestamp', 'grouping opts': 'label', 'subquery selector': 'duration or "]"',
  'subquery or range': '":" or "]"', 'label matching': 'identifier or "}"',
};
