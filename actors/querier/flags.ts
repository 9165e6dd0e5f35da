import { boolFlag, stringFlag, stringsFlag, type FlagSpec, type FlagValues } from '../../runtime/cli/command.js';
import { parseDurationMs } from '../shared/objstore/config-reader.js';
import type { DedupFunc } from './dedup/series-dedup.js';
import { ConfigError } from '../../runtime/errors/runtime-errors.js';
import { parseGoBool } from './web/thanos-params.js';

/** `athanor query` flags (besides the process flags), named and defaulted as Thanos's `thanos query`. */
export const queryFlags: Readonly<Record<string, FlagSpec>> = {
  'query.replica-label': { type: 'string', multiple: true, placeholder: '<label>', description: 'Label treated as a replica indicator for deduplication (repeatable, or a comma list).' },
  'query.timeout': { type: 'string', default: '2m', placeholder: '<duration>', description: 'Maximum time to process a query.' },
  'query.max-concurrent': { type: 'string', default: '20', placeholder: '<n>', description: 'Maximum queries evaluated at once; more wait.' },
  'query.max-concurrent-select': { type: 'string', default: '4', placeholder: '<n>', description: 'Maximum concurrent selects (store fan-outs) per query.' },
  'query.lookback-delta': { type: 'string', default: '5m', placeholder: '<duration>', description: 'How far back to look for a sample of an instant vector.' },
  'query.max-samples': { type: 'string', default: '50000000', placeholder: '<n>', description: 'Maximum samples a query may hold in memory.' },
  'query.partial-response': { type: 'string', default: 'true', placeholder: '<bool>', description: 'Default partial response strategy: warn (true) or abort (false).' },
  'no-query.partial-response': { type: 'boolean', default: false, description: 'Same as --query.partial-response=false (Thanos spelling).' },
  'query.auto-downsampling': { type: 'boolean', default: false, description: 'Range queries without max_source_resolution read downsampled data (step/5).' },
  'store.response-timeout': { type: 'string', default: '0ms', placeholder: '<duration>', description: 'If a store sends nothing for this long, its stream is cancelled and becomes a warning (0 = off).' },
  'deduplication.func': { type: 'string', default: 'penalty', placeholder: '<penalty|chain>', description: 'Deduplication algorithm: penalty (HA Prometheus pairs) or chain (1:1 merge, for Receive).' },
  'endpoint': { type: 'string', multiple: true, placeholder: '<component>/<id>', description: 'Static StoreAPI endpoint: a peer\'s <component>/<id> on this NATS prefix, e.g. a regional querier query/<id> (queriers are never discovered).' },
  'endpoint.discovery': { type: 'string', default: 'true', placeholder: '<bool>', description: 'Use the StoreAPIs found through discovery (false: only --endpoint targets).' },
  'query.decode-workers': { type: 'string', default: '2', placeholder: '<n>', description: 'Worker threads decoding and deduplicating large selects (0 = inline only).' },
};

/** The querier's settings from its flags. */
export interface QuerySettings {
  readonly replicaLabels: readonly string[];
  readonly timeoutMs: number;
  readonly maxConcurrent: number;
  readonly maxConcurrentSelect: number;
  readonly lookbackDeltaMs: number;
  readonly maxSamples: number;
  readonly partialResponse: boolean;
  readonly autoDownsampling: boolean;
  readonly responseTimeoutMs: number;
  readonly dedupFunc: DedupFunc;
  readonly endpoints: readonly string[];
  readonly discovery: boolean;
  readonly decodeWorkers: number;
}

/** Parses and checks the flags; a bad value is a ConfigError (exit 2) naming the flag. */
export function querySettingsFromFlags(v: FlagValues): QuerySettings {
  const str = (name: string): string => stringFlag(v, name) ?? String(queryFlags[name]!.default ?? '');
  const bad = (name: string, what: string) => new ConfigError(`flag --${name}: ${what}`, { data: { flag: name } });
  const duration = (name: string): number => {
    const ms = parseDurationMs(str(name));
    if (ms === undefined) throw bad(name, `invalid duration ${JSON.stringify(str(name))}`);
    return ms;
  };
  const count = (name: string, min: number): number => {
    const s = str(name), n = Number(s);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n < min) throw bad(name, `want an integer ≥ ${min}, got ${JSON.stringify(s)}`);
    return n;
  };
  const func = str('deduplication.func');
  if (func !== 'penalty' && func !== 'chain') throw bad('deduplication.func', `want penalty or chain, got ${JSON.stringify(func)}`);
  const endpoints = stringsFlag(v, 'endpoint');
  for (const e of endpoints) if (!/^[^/\s.*>]+\/[^/\s.*>]+$/.test(e)) throw bad('endpoint', `want <component>/<id>, got ${JSON.stringify(e)}`);
  const discovery = parseGoBool(str('endpoint.discovery'));
  if (discovery === undefined) throw bad('endpoint.discovery', `want true or false, got ${JSON.stringify(str('endpoint.discovery'))}`);
  const partial = parseGoBool(str('query.partial-response'));
  if (partial === undefined) throw bad('query.partial-response', `want true or false, got ${JSON.stringify(str('query.partial-response'))}`);
  return {
    replicaLabels: stringsFlag(v, 'query.replica-label').flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''),
    timeoutMs: duration('query.timeout'),
    maxConcurrent: count('query.max-concurrent', 1),
    maxConcurrentSelect: count('query.max-concurrent-select', 1),
    lookbackDeltaMs: duration('query.lookback-delta'),
    maxSamples: count('query.max-samples', 1),
    partialResponse: partial && !boolFlag(v, 'no-query.partial-response'),
    autoDownsampling: boolFlag(v, 'query.auto-downsampling'),
    responseTimeoutMs: duration('store.response-timeout'),
    dedupFunc: func,
    endpoints,
    discovery,
    decodeWorkers: count('query.decode-workers', 0),
  };
}
