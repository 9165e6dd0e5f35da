import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { defineDomainError } from '../errors/domain-error.js';
import { compileAnchored } from './matcher.js';
import { compareUtf8, type Label, type Labels } from './labels.js';

export const BadRelabelConfigError = defineDomainError('LABELS_BAD_RELABEL', false, 'BadRelabelConfigError');

/** The relabel actions athanor implements (those Thanos documents for block selection). */
export type RelabelAction = 'replace' | 'keep' | 'drop' | 'hashmod' | 'labelmap' | 'labeldrop' | 'labelkeep';

export interface RelabelConfig {
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: RegExp;
  readonly regexSource: string;
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string;
  readonly action: RelabelAction;
}

const ACTIONS: readonly RelabelAction[] = ['replace', 'keep', 'drop', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep'];
const FIELDS = new Set(['source_labels', 'separator', 'regex', 'modulus', 'target_label', 'replacement', 'action']);

/** Parses Prometheus relabel_config YAML (a list); unknown fields or actions → BadRelabelConfigError. */
export function parseRelabelConfigs(yamlText: string, what = 'relabel config'): RelabelConfig[] {
  let doc: unknown;
  try { doc = parse(yamlText); } catch (err) { throw new BadRelabelConfigError(`parsing ${what}: ${(err as Error).message}`, { cause: err }); }
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw new BadRelabelConfigError(`parsing ${what}: expected a list of relabel configs`);
  return doc.map((raw, i) => {
    const at = `${what}[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new BadRelabelConfigError(`parsing ${at}: not a mapping`);
    const r = raw as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!FIELDS.has(k)) throw new BadRelabelConfigError(`parsing ${at}: unknown field ${JSON.stringify(k)}`);
    const action = (typeof r.action === 'string' ? r.action.toLowerCase() : 'replace') as RelabelAction;
    if (!ACTIONS.includes(action)) throw new BadRelabelConfigError(`parsing ${at}: unknown action ${JSON.stringify(r.action)}`);
    const regexSource = r.regex === undefined ? '(.*)' : String(r.regex);
    const cfg: RelabelConfig = {
      sourceLabels: Array.isArray(r.source_labels) ? r.source_labels.map(String) : [],
      separator: r.separator === undefined ? ';' : String(r.separator),
      regex: compileAnchored(regexSource), regexSource,
      modulus: r.modulus === undefined ? 0 : Number(r.modulus),
      targetLabel: r.target_label === undefined ? '' : String(r.target_label),
      replacement: r.replacement === undefined ? '$1' : String(r.replacement),
      action,
    };
    if (action === 'hashmod' && (!Number.isInteger(cfg.modulus) || cfg.modulus <= 0)) throw new BadRelabelConfigError(`parsing ${at}: hashmod needs a positive integer modulus`);
    if ((action === 'hashmod' || action === 'replace') && cfg.targetLabel === '') throw new BadRelabelConfigError(`parsing ${at}: ${action} needs target_label`);
    return cfg;
  });
}

/** Go regexp-style `$1` / `${1}` / `$name` expansion of a replacement template. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_all, tok: string, braced?: string, bare?: string) => {
    if (tok === '$') return '$';
    const key = braced ?? bare!;
    if (/^\d+$/.test(key)) return m[Number(key)] ?? '';
    return m.groups?.[key] ?? '';
  });
}

/** Prometheus's hashmod: the last 8 bytes of md5(value), big-endian, modulo `modulus`. */
export function hashmod(value: string, modulus: number): number {
  const d = createHash('md5').update(value).digest();
  return Number(d.readBigUInt64BE(8) % BigInt(modulus));
}

/** Applies configs in order; returns undefined when the label set is dropped. Output is sorted. */
export function relabel(ls: Labels, configs: readonly RelabelConfig[]): Labels | undefined {
  const map = new Map<string, string>(ls.map((l) => [l.name, l.value]));
  for (const c of configs) {
    const val = c.sourceLabels.map((n) => map.get(n) ?? '').join(c.separator);
    switch (c.action) {
      case 'keep': if (!c.regex.test(val)) return undefined; break;
      case 'drop': if (c.regex.test(val)) return undefined; break;
      case 'hashmod': map.set(c.targetLabel, String(hashmod(val, c.modulus))); break;
      case 'replace': {
        const m = c.regex.exec(val);
        if (!m) break;
        const target = expand(c.targetLabel, m);
        const res = expand(c.replacement, m);
        if (res === '') map.delete(target); else map.set(target, res);
        break;
      }
      case 'labelmap':
        for (const [n, v] of [...map]) { const m = c.regex.exec(n); if (m) map.set(expand(c.replacement, m), v); }
        break;
      case 'labeldrop': for (const n of [...map.keys()]) if (c.regex.test(n)) map.delete(n); break;
      case 'labelkeep': for (const n of [...map.keys()]) if (!c.regex.test(n)) map.delete(n); break;
    }
  }
  const out: Label[] = [...map].filter(([, v]) => v !== '').map(([name, value]) => ({ name, value }));
  return out.sort((a, b) => compareUtf8(a.name, b.name));
}
