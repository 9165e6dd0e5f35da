/**
 * Deterministic data shaped like the PromQL compliance suite's `demo_*` metrics (3 targets of job
 * `demo`, 5 s scrape interval): memory gauges by `type`, CPU counters by `mode` with resets, disk
 * usage, CPU counts, batch-job timestamps, an intermittent metric and a classic latency histogram.
 * Written as OpenMetrics (`unknown` families) for promtool and yielded as samples for MemoryStorage.
 */
import { formatValue } from '../harness/openmetrics-gen.js';
import { seededRandom as rng } from '../../runtime/random.js';

export interface DemoSeries { readonly labels: Record<string, string>; readonly ts: number[]; readonly vs: number[] }


/** All series: `minutes` of data from `startSec` at 5 s. */
export function demoSeries(startSec: number, minutes: number): DemoSeries[] {
  const r = rng(42);
  const n = (minutes * 60) / 5;
  const grid = Array.from({ length: n }, (_, k) => (startSec + k * 5) * 1000);
  const out: DemoSeries[] = [];
  const insts = ['demo.promlabs.com:10000', 'demo.promlabs.com:10001', 'demo.promlabs.com:10002'];
  const round = (v: number, d: number): number => Math.round(v * d) / d;
  insts.forEach((instance, ii) => {
    const base = { instance, job: 'demo' };
    for (const type of ['buffers', 'cached', 'free', 'used']) {
      let v = 1e9 + r() * 1e9;
      out.push({ labels: { __name__: 'demo_memory_usage_bytes', ...base, type }, ts: grid, vs: grid.map(() => (v = Math.round(v + (r() - 0.5) * 1e6))) });
    }
    for (const mode of ['idle', 'system', 'user', 'iowait']) {
      let v = r() * 1000;
      out.push({ labels: { __name__: 'demo_cpu_usage_seconds_total', ...base, mode }, ts: grid, vs: grid.map((_, k) => {
        if (ii === 1 && k === n >> 1) v = 0;
        return (v = round(v + r() * 5, 1000));
      }) });
    }
    out.push({ labels: { __name__: 'demo_disk_usage_bytes', ...base }, ts: grid, vs: grid.map((_, k) => 5e10 + k * 1000 * (ii + 1) + Math.round(r() * 100)) });
    out.push({ labels: { __name__: 'demo_num_cpus', ...base }, ts: grid, vs: grid.map(() => [4, 8, 2][ii]!) });
    out.push({ labels: { __name__: 'demo_batch_last_success_timestamp_seconds', ...base }, ts: grid, vs: grid.map((t) => Math.floor(t / 1000 / 300) * 300 - ii * 7) });
    const it: number[] = [], iv: number[] = [];
    grid.forEach((t, k) => { if (k % 60 < 12) { it.push(t); iv.push(ii); } });
    out.push({ labels: { __name__: 'demo_intermittent_metric', ...base }, ts: it, vs: iv });
    for (const path of ['/api/foo', '/api/bar']) {
      const les = ['0.01', '0.1', '0.25', '1', '+Inf'];
      const counts = les.map(() => 0);
      let sum = 0, cnt = 0;
      const bv = les.map(() => [] as number[]);
      const sv: number[] = [], cv: number[] = [];
      for (let k = 0; k < n; k++) {
        const obs = Math.floor(r() * 6);
        for (let j = 0; j < obs; j++) {
          const d = round(r() * r() * 1.2, 10000);
          sum = round(sum + d, 10000); cnt++;
          les.forEach((le, b) => { if (le === '+Inf' || d <= Number(le)) counts[b]!++; });
        }
        les.forEach((_, b) => bv[b]!.push(counts[b]!));
        sv.push(sum); cv.push(cnt);
      }
      const hl = { ...base, method: 'GET', path, status: '200' };
      les.forEach((le, b) => out.push({ labels: { __name__: 'demo_api_request_duration_seconds_bucket', ...hl, le }, ts: grid, vs: bv[b]! }));
      out.push({ labels: { __name__: 'demo_api_request_duration_seconds_sum', ...hl }, ts: grid, vs: sv });
      out.push({ labels: { __name__: 'demo_api_request_duration_seconds_count', ...hl }, ts: grid, vs: cv });
    }
  });
  return out;
}

/** OpenMetrics text of the series (one `unknown` family per metric name), ending with `# EOF`. */
export function demoOpenMetrics(series: DemoSeries[]): string {
  const byName = new Map<string, DemoSeries[]>();
  for (const s of series) { const n = s.labels.__name__!; byName.set(n, [...(byName.get(n) ?? []), s]); }
  let out = '';
  for (const [name, ss] of byName) {
    out += `# TYPE ${name} unknown\n`;
    for (const s of ss) {
      const body = Object.entries(s.labels).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}="${v}"`).join(',');
      for (let i = 0; i < s.ts.length; i++) out += `${name}{${body}} ${formatValue(s.vs[i]!)} ${s.ts[i]! / 1000}\n`;
    }
  }
  return out + '# EOF\n';
}
