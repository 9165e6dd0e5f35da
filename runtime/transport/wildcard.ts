/**
 * NATS subject matching for the in-process transport: tokens split on '.', `*` matches exactly
 * one token, `>` (last token only) matches one or more remaining tokens.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  if (pattern === subject) return true;
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const tok = p[i];
    if (tok === '>') return i === p.length - 1 && s.length > i;
    if (i >= s.length) return false;
    if (tok !== '*' && tok !== s[i]) return false;
  }
  return p.length === s.length;
}

const WILDCARD = /(^|\.)[*>](\.|$)/;

export function hasWildcard(pattern: string): boolean {
  return WILDCARD.test(pattern);
}

/** True when `subject` is a valid publish subject: non-empty tokens, no wildcards, no spaces. */
export function isValidPublishSubject(subject: string): boolean {
  if (subject.length === 0 || /\s/.test(subject)) return false;
  return subject.split('.').every((t) => t.length > 0 && t !== '*' && t !== '>');
}

/** True when `pattern` is a valid subscription subject (`>` only as the last token). */
export function isValidSubscribeSubject(pattern: string): boolean {
  if (pattern.length === 0 || /\s/.test(pattern)) return false;
  const toks = pattern.split('.');
  return toks.every((t, i) => t.length > 0 && (t !== '>' || i === toks.length - 1));
}
