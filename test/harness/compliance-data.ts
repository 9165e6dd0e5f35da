/**
 * Deterministic OpenMetrics data shaped like the PromQL compliance suite's `demo_*` metrics (the
 * PromLabs demo service scraped as job `demo` from three `demo.promlabs.com:1000x` targets), for
 * `promtool tsdb create-blocks-from openmetrics`. Families and their labels:
 *
 * - `demo_memory_usage_bytes{instance,job,type}` gauge, type ∈ buffers|cached|free|used (random walk)
 * - `demo_cpu_usage_seconds_total{instance,job,mode}` counter, mode ∈ idle|system|user|iowait, with
 *   resets (every instance resets at a different point; instance 1 resets twice)
 * - `demo_disk_usage_bytes{instance,job}` gauge growing linearly with noise (deriv/predict_linear)
 * - `demo_num_cpus{instance,job}` constant gauge (4, 8, 2)
 * - `demo_batch_last_success_timestamp_seconds{instance,job}` step gauge: a Unix time updated every 5 min
 * - `demo_intermittent_metric{instance,job}` gauge present 10 min, absent 10 min (gaps longer than the
 *   5 min lookback, so absent/staleness cases see holes)
 * - `demo_api_request_duration_seconds_{bucket,sum,count}{instance,job,method,path,status}` classic
 *   histogram, le ∈ 0.01|0.05|0.1|0.25|0.5|1|+Inf
 *
 * Everything is a pure function of the options. Values are written so Go's ParseFloat reads back
 * the exact doubles (`formatValue`). Families are contiguous and each series is written in time
 * order, as promtool's backfill requires.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { formatValue } from './openmetrics-gen.js';
import { seededRandom as mulberry32 } from '../../runtime/random.js';

export interface ComplianceDataOptions {
  /** First timestamp, seconds (default 1699999200, a 2 h block boundary). */
  readonly startSec?: number;
  /** Length of the data, hours (default 5 → blocks [0,2h), [2h,4h), [4h,5h)). */
  readonly hours?: number;
  /** Scrape interval, seconds (default 15). */
  readonly stepSec?: number;
  /** PRNG seed (default 7). */
  readonly seed?: number;
  /**
   * Max scrape-time jitter in ms (default 0): each target's scrape k happens at start + k·step +
   * [0, jitterMs) ms, shared by all its series, written with millisecond precision.
   */
  readonly jitterMs?: number;
}

/**
 * One generated series: metric name, labels (without `__name__`), samples. `ts` (ms) is what
 * promtool derives from the written text `tTexts` (seconds): trunc(parseFloat(text) · 1000).
 */
export interface ComplianceSeries {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ts: readonly number[];
  readonly tTexts: readonly string[];
  readonly vs: readonly number[];
}

/** One family: its OpenMetrics TYPE line name/type and its series. */
export interface ComplianceFamily {
  readonly family: string;
  readonly type: 'gauge' | 'counter' | 'unknown';
  readonly series: readonly ComplianceSeries[];
}

/** What was written. Times in ms (maxT inclusive). */
export interface ComplianceDataStats { readonly series: number; readonly samples: number; readonly minT: number; readonly maxT: number }

export const DEMO_INSTANCES = ['demo.promlabs.com:10000', 'demo.promlabs.com:10001', 'demo.promlabs.com:10002'] as const;
const JOB = 'demo';
const MEMORY_TYPES = ['buffers', 'cached', 'free', 'used'];
const CPU_MODES = ['idle', 'iowait', 'system', 'user'];
const LES = ['0.01', '0.05', '0.1', '0.25', '0.5', '1', '+Inf'];
const PATHS = ['/api/bar', '/api/foo'];


function defaults(o: ComplianceDataOptions): Required<ComplianceDataOptions> {
  return { startSec: o.startSec ?? 1699999200, hours: o.hours ?? 5, stepSec: o.stepSec ?? 15, seed: o.seed ?? 7, jitterMs: o.jitterMs ?? 0 };
}

const round = (v: number, scale: number): number => Math.round(v * scale) / scale;

/** Generates every family of the data set, in a fixed order. */
export function complianceFamilies(opts: ComplianceDataOptions = {}): ComplianceFamily[] {
  const o = defaults(opts);
  const r = mulberry32(o.seed);
  const n = Math.floor((o.hours * 3600) / o.stepSec);
  const base = (instance: string): Record<string, string> => ({ instance, job: JOB });
  const mem: ComplianceSeries[] = [], cpu: ComplianceSeries[] = [], disk: ComplianceSeries[] = [], cpus: ComplianceSeries[] = [];
  const batch: ComplianceSeries[] = [], inter: ComplianceSeries[] = [], buckets: ComplianceSeries[] = [];
  const sums: ComplianceSeries[] = [], counts: ComplianceSeries[] = [];
  DEMO_INSTANCES.forEach((instance, ii) => {
    const jr = mulberry32(o.seed * 1000 + ii + 1);
    const tTexts = Array.from({ length: n }, (_, k) => {
      const ms = (o.startSec + k * o.stepSec) * 1000 + (o.jitterMs > 0 ? Math.floor(jr() * o.jitterMs) : 0);
      return ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(3);
    });
    const grid = tTexts.map((x) => Math.trunc(Number(x) * 1000));
    const mk = (name: string, labels: Record<string, string>, vs: number[]): ComplianceSeries => ({ name, labels, ts: grid, tTexts, vs });
    for (const type of MEMORY_TYPES) {
      let v = Math.round(1e9 + r() * 3e9);
      mem.push(mk('demo_memory_usage_bytes', { ...base(instance), type }, grid.map(() => (v = Math.max(0, v + Math.round((r() - 0.5) * 2e6))))));
    }
    const resets = [Math.floor(n * (0.3 + 0.2 * ii)), ii === 1 ? Math.floor(n * 0.85) : -1];
    for (const mode of CPU_MODES) {
      let v = round(r() * 5000, 1000);
      cpu.push(mk('demo_cpu_usage_seconds_total', { ...base(instance), mode }, grid.map((_, k) => {
        if (resets.includes(k)) v = 0;
        return (v = round(v + r() * o.stepSec * 0.5, 1000));
      })));
    }
    disk.push(mk('demo_disk_usage_bytes', base(instance), grid.map((_, k) => 4e10 + ii * 1e9 + k * 2048 * (ii + 1) + Math.round(r() * 4096))));
    cpus.push(mk('demo_num_cpus', base(instance), grid.map(() => [4, 8, 2][ii]!)));
    batch.push(mk('demo_batch_last_success_timestamp_seconds', base(instance), grid.map((t) => Math.floor(t / 1000 / 300) * 300 - ii * 17)));
    const it: number[] = [], itx: string[] = [], iv: number[] = [];
    const period = Math.round(1200 / o.stepSec);
    grid.forEach((t, k) => { if ((k + ii * 7) % period < period / 2) { it.push(t); itx.push(tTexts[k]!); iv.push(ii + 1); } });
    inter.push({ name: 'demo_intermittent_metric', labels: base(instance), ts: it, tTexts: itx, vs: iv });
    for (const path of PATHS) {
      const hl = { ...base(instance), method: 'GET', path, status: '200' };
      const cnt = LES.map(() => 0);
      const bv = LES.map(() => [] as number[]);
      const sv: number[] = [], cv: number[] = [];
      let sum = 0, total = 0;
      for (let k = 0; k < n; k++) {
        const obs = Math.floor(r() * (path === '/api/foo' ? 12 : 4));
        for (let j = 0; j < obs; j++) {
          const d = round(r() * r() * 1.5, 10000);
          sum = round(sum + d, 10000); total++;
          LES.forEach((le, b) => { if (le === '+Inf' || d <= Number(le)) cnt[b]!++; });
        }
        LES.forEach((_, b) => bv[b]!.push(cnt[b]!));
        sv.push(sum); cv.push(total);
      }
      LES.forEach((le, b) => buckets.push(mk('demo_api_request_duration_seconds_bucket', { ...hl, le }, bv[b]!)));
      sums.push(mk('demo_api_request_duration_seconds_sum', hl, sv));
      counts.push(mk('demo_api_request_duration_seconds_count', hl, cv));
    }
  });
  return [
    { family: 'demo_memory_usage_bytes', type: 'gauge', series: mem },
    { family: 'demo_cpu_usage_seconds', type: 'counter', series: cpu },
    { family: 'demo_disk_usage_bytes', type: 'gauge', series: disk },
    { family: 'demo_num_cpus', type: 'gauge', series: cpus },
    { family: 'demo_batch_last_success_timestamp_seconds', type: 'gauge', series: batch },
    { family: 'demo_intermittent_metric', type: 'gauge', series: inter },
    { family: 'demo_api_request_duration_seconds_bucket', type: 'unknown', series: buckets },
    { family: 'demo_api_request_duration_seconds_sum', type: 'unknown', series: sums },
    { family: 'demo_api_request_duration_seconds_count', type: 'unknown', series: counts },
  ];
}

function seriesPrefix(s: ComplianceSeries): string {
  const body = Object.entries(s.labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
  return body === '' ? s.name : `${s.name}{${body}}`;
}

/** Yields the OpenMetrics text in pieces of roughly `pieceBytes`, ending with `# EOF\n`. */
export function* complianceOpenMetricsPieces(families: readonly ComplianceFamily[], pieceBytes = 1 << 20): Generator<string> {
  let buf = '';
  for (const f of families) {
    buf += `# TYPE ${f.family} ${f.type}\n`;
    for (const s of f.series) {
      const prefix = seriesPrefix(s) + ' ';
      for (let i = 0; i < s.ts.length; i++) {
        buf += prefix + formatValue(s.vs[i]!) + ' ' + s.tTexts[i]! + '\n';
        if (buf.length >= pieceBytes) { yield buf; buf = ''; }
      }
    }
  }
  yield buf + '# EOF\n';
}

/** Statistics of a family list (sample count, time bounds). */
export function complianceStats(families: readonly ComplianceFamily[]): ComplianceDataStats {
  let series = 0, samples = 0, minT = Infinity, maxT = -Infinity;
  for (const f of families) {
    for (const s of f.series) {
      series++; samples += s.ts.length;
      if (s.ts.length > 0) { minT = Math.min(minT, s.ts[0]!); maxT = Math.max(maxT, s.ts[s.ts.length - 1]!); }
    }
  }
  return { series, samples, minT, maxT };
}

/** Writes the data set as OpenMetrics to `path` (streamed in pieces); returns its statistics. */
export function writeComplianceOpenMetrics(path: string, opts: ComplianceDataOptions = {}): ComplianceDataStats {
  const families = complianceFamilies(opts);
  const fd = openSync(path, 'w');
  try {
    for (const piece of complianceOpenMetricsPieces(families)) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
  return complianceStats(families);
}
