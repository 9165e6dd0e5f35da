import { Matcher, type MatchType, type MatcherSpec } from '../../labels/matcher.js';
import { EMPTY_POSTINGS, intersectPostings, subtractPostings, type Postings } from './postings.js';

/** What `postingsForMatchers` needs from an index (the reader, or an index-header later). */
export interface PostingsSource {
  /** Sorted values of a label name (empty when unknown). */
  labelValues(name: string): readonly string[];
  /** Union of the postings of `name=v` for each v (absent values ignored). */
  postingsFor(name: string, values: readonly string[]): Promise<Postings>;
  /** The `("", "")` all-postings list. */
  allPostings(): Promise<Postings>;
}

const INVERSE: Record<MatchType, MatchType> = { '=': '!=', '!=': '=', '=~': '!~', '!~': '=~' };

function inverse(m: Matcher): Matcher { return new Matcher(INVERSE[m.type], m.name, m.value); }

/** Literal alternations (`a|b|c` with no regex metacharacters) resolve to a value set directly. */
function literalSet(re: string): string[] | undefined {
  return /^[A-Za-z0-9_:\-/ ,=@%]+(?:\|[A-Za-z0-9_:\-/ ,=@%]+)*$/.test(re) ? re.split('|') : undefined;
}

async function postingsForMatcher(ix: PostingsSource, m: Matcher): Promise<Postings> {
  if (m.type === '=') return ix.postingsFor(m.name, [m.value]);
  if (m.type === '=~') {
    const set = literalSet(m.value);
    if (set !== undefined) return ix.postingsFor(m.name, set);
  }
  const values = ix.labelValues(m.name).filter((v) => m.matches(v));
  return values.length === 0 ? EMPTY_POSTINGS : ix.postingsFor(m.name, values);
}

async function inversePostingsForMatcher(ix: PostingsSource, m: Matcher): Promise<Postings> {
  const all = ix.labelValues(m.name);
  const values = m.type === '=' && m.value === '' ? all : all.filter((v) => !m.matches(v));
  return ix.postingsFor(m.name, values);
}

/**
 * Series refs selected by `matchers`, exactly as Prometheus 2.42's `PostingsForMatchers`:
 * a matcher that accepts "" also selects series without the label; matchers are intersected,
 * negative ones subtracted; if every matcher accepts "", the base set is all postings; no
 * matchers at all select nothing; `{""=""}` stands for all postings. Regexes are fully anchored.
 * Invalid regexes throw BadMatcherError (LABELS_BAD_MATCHER).
 */
export async function postingsForMatchers(ix: PostingsSource, specs: readonly MatcherSpec[]): Promise<Postings> {
  const ms = specs.map((s) => Matcher.from(s));
  const mustBeSet = new Set<string>();
  for (const m of ms) if (!m.matches('')) mustBeSet.add(m.name);
  const its: Postings[] = [];
  const notIts: Postings[] = [];
  for (const m of ms) {
    if (m.name === '' && m.value === '') {
      its.push(await ix.allPostings());
    } else if (mustBeSet.has(m.name)) {
      const matchesEmpty = m.matches('');
      const isNot = m.type === '!=' || m.type === '!~';
      if (isNot && matchesEmpty) {
        notIts.push(await postingsForMatcher(ix, inverse(m)));
      } else {
        const it = isNot ? await inversePostingsForMatcher(ix, inverse(m)) : await postingsForMatcher(ix, m);
        if (it.length === 0) return EMPTY_POSTINGS;
        its.push(it);
      }
    } else {
      notIts.push(await inversePostingsForMatcher(ix, m));
    }
  }
  if (its.length === 0 && notIts.length !== 0) its.push(await ix.allPostings());
  let out = intersectPostings(its);
  for (const n of notIts) out = subtractPostings(out, n);
  return out;
}

/**
 * The label names whose `labelValues` `postingsForMatchers(ix, specs)` will ask for: those of matchers
 * resolved by filtering a name's values (not `=` nor a literal alternation, and every matcher
 * accepting ""). A source that reads values lazily (a sampled index) loads just these beforehand.
 */
export function namesNeedingValues(specs: readonly MatcherSpec[]): string[] {
  const ms = specs.map((s) => Matcher.from(s));
  const mustBeSet = new Set<string>();
  for (const m of ms) if (!m.matches('')) mustBeSet.add(m.name);
  const direct = (m: Matcher) => m.type === '=' || (m.type === '=~' && literalSet(m.value) !== undefined);
  const out = new Set<string>();
  for (const m of ms) {
    if (m.name === '' && m.value === '') continue;
    const isNot = m.type === '!=' || m.type === '!~';
    const needs = !mustBeSet.has(m.name) || (isNot && !m.matches('')) || !direct(isNot ? inverse(m) : m);
    if (needs) out.add(m.name);
  }
  return [...out];
}
