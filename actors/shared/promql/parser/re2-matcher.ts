import { Matcher, type MatchType } from '../../labels/matcher.js';

/**
 * Builds a Matcher. RE2 inline flag groups are handled by the shared Matcher itself
 * (actors/shared/labels/re2.ts); this stays as the parser's single construction point.
 */
export function makeMatcher(type: MatchType, name: string, value: string): Matcher {
  return new Matcher(type, name, value);
}
