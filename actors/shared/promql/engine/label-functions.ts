import { compileAnchored } from '../../labels/matcher.js';
import { getLabel, type Labels } from '../../labels/labels.js';
import { execError } from './errors.js';
import { isValidLabelName, mergeSameLabels, setLabel } from './labels-util.js';
import type { StepSeries, VectorValue } from './values.js';

const NAMED = /\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g;

/**
 * Compiles an RE2 regex for label_replace, anchored. Go 1.19's RE2 names groups only as
 * `(?P<name>…)`: the shared matcher validates the pattern with those groups unnamed, then the JS
 * regex is built with JS named groups.
 */
function compile(re: string): RegExp {
  let validated: RegExp;
  try {
    validated = compileAnchored(re.replace(NAMED, '('));
  } catch {
    throw execError(`invalid regular expression in label_replace(): ${re}`);
  }
  if (!NAMED.test(re)) return validated;
  NAMED.lastIndex = 0;
  const flagGroup = /^\(\?[imsU]+\)/.exec(re);
  const body = (flagGroup === null ? re : re.slice(flagGroup[0].length)).replace(NAMED, '(?<$1>');
  try {
    return new RegExp(`^(?:${body})$`, validated.flags);
  } catch {
    throw execError(`invalid regular expression in label_replace(): ${re}`);
  }
}

/** Go regexp.Expand of `tmpl` with the match `m`. */
export function expandTemplate(tmpl: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < tmpl.length; i++) {
    const c = tmpl[i]!;
    if (c !== '$') { out += c; continue; }
    if (tmpl[i + 1] === '$') { out += '$'; i++; continue; }
    let name: string | undefined;
    let end = i + 1;
    if (tmpl[i + 1] === '{') {
      const close = tmpl.indexOf('}', i + 2);
      const inner = close < 0 ? '' : tmpl.slice(i + 2, close);
      if (close >= 0 && /^[A-Za-z0-9_]+$/.test(inner)) { name = inner; end = close + 1; }
    } else {
      const mm = /^[A-Za-z0-9_]+/.exec(tmpl.slice(i + 1));
      if (mm !== null) { name = mm[0]; end = i + 1 + mm[0].length; }
    }
    if (name === undefined) { out += '$'; continue; }
    i = end - 1;
    if (/^[0-9]+$/.test(name)) {
      const idx = Number(name);
      if (idx < m.length) out += m[idx] ?? '';
    } else {
      out += m.groups?.[name] ?? '';
    }
  }
  return out;
}

export function labelReplace(v: VectorValue, dst: string, repl: string, src: string, regex: string): VectorValue {
  const re = compile(regex);
  if (!isValidLabelName(dst)) throw execError(`invalid destination label name in label_replace(): ${dst}`);
  const cache = new Map<Labels, Labels>();
  const out: StepSeries[] = v.series.map((s) => {
    let ls = cache.get(s.labels);
    if (ls === undefined) {
      ls = s.labels;
      const m = re.exec(getLabel(s.labels, src) ?? '');
      if (m !== null) ls = setLabel(s.labels, dst, expandTemplate(repl, m));
      cache.set(s.labels, ls);
    }
    return { labels: ls, vs: s.vs, has: s.has };
  });
  return { kind: 'vector', series: mergeSameLabels(out, true) };
}

export function labelJoin(v: VectorValue, dst: string, sep: string, srcs: string[]): VectorValue {
  if (!isValidLabelName(dst)) throw execError(`invalid destination label name in label_join(): ${dst}`);
  for (const s of srcs) if (!isValidLabelName(s)) throw execError(`invalid source label name in label_join(): ${s}`);
  const out: StepSeries[] = v.series.map((s) => {
    const joined = srcs.map((n) => getLabel(s.labels, n) ?? '').join(sep);
    return { labels: setLabel(s.labels, dst, joined), vs: s.vs, has: s.has };
  });
  return { kind: 'vector', series: mergeSameLabels(out, true) };
}
