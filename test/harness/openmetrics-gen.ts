/**
 * Deterministic OpenMetrics test data, as `promtool tsdb create-blocks-from openmetrics` accepts it
 * (timestamps in seconds, `# EOF` last). Families: a counter with resets, a gauge, a classic histogram
 * (buckets + _sum + _count), a gauge that disappears for the middle third of the range, and
 * optionally a gauge of special values (NaN, ±Inf, -0, extremes). Everything is a pure function of the
 * options, so an oracle test can regenerate the expected samples instead of storing them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { seededRandom as mulberry32 } from '../../runtime/random.js';

export interface OpenMetricsGenOptions {
  /** First timestamp, seconds (default 1699999200, a 2 h boundary). */
  startSec?: number;
  /** Length of the data, hours (default 6). */
  hours?: number;
  /** Scrape interval, seconds (default 15). */
  stepSec?: number;
  /** Series per family (default 10). */
  series?: number;
  /** Copies of every family kind; names get `_f<k>` for k ≥ 1 (default 1). */
  families?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Add the summary family `gen_rpc_duration_seconds` (default true). */
  summaries?: boolean;
  /** Add the special-values gauge `gen_special_values` (default false). */
  specials?: boolean;
  /** Max deterministic timestamp jitter in ms; > 0 writes fractional-second timestamps (default 0). */
  jitterMs?: number;
}

/** One generated sample; `t` is what promtool derives from the text: trunc(parseFloat(tText) * 1000). */
export interface GenSample { readonly t: number; readonly v: number; readonly tText: string; readonly vText: string }

/** One generated series with its exposition prefix (`name{labels}`) and labels (unescaped). */
export interface GenSeries {
  readonly family: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary';
  /** `# UNIT` of the family, if any. */
  readonly unit?: string;
  readonly seriesText: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly GenSample[];
}


/** Formats a float the way Go's ParseFloat reads back exactly. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function seriesText(name: string, labels: Record<string, string>): string {
  const body = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
  return body ? `${name}{${body}}` : name;
}

function timeGrid(o: Required<OpenMetricsGenOptions>, rnd: () => number): { tText: string; t: number }[] {
  const out: { tText: string; t: number }[] = [];
  const n = Math.floor((o.hours * 3600) / o.stepSec);
  for (let k = 0; k < n; k++) {
    const baseMs = (o.startSec + k * o.stepSec) * 1000;
    const jitter = o.jitterMs > 0 ? Math.floor(rnd() * o.jitterMs) : 0;
    const tText = jitter === 0 ? String(baseMs / 1000) : ((baseMs + jitter) / 1000).toFixed(3);
    out.push({ tText, t: Math.trunc(Number(tText) * 1000) });
  }
  return out;
}

function withDefaults(opts: OpenMetricsGenOptions): Required<OpenMetricsGenOptions> {
  return {
    startSec: opts.startSec ?? 1699999200, hours: opts.hours ?? 6, stepSec: opts.stepSec ?? 15,
    series: opts.series ?? 10, families: opts.families ?? 1, seed: opts.seed ?? 1,
    specials: opts.specials ?? false, jitterMs: opts.jitterMs ?? 0, summaries: opts.summaries ?? true,
  };
}

function sample(tt: { tText: string; t: number }, v: number): GenSample {
  const vText = formatValue(v);
  return { t: tt.t, tText: tt.tText, v: Number.isNaN(v) ? NaN : Number(vText === '+Inf' ? Infinity : vText === '-Inf' ? -Infinity : vText), vText };
}

/** Generates every series, family by family (families are contiguous, as OpenMetrics requires). */
export function* generateSeries(opts: OpenMetricsGenOptions = {}): Generator<GenSeries> {
  const o = withDefaults(opts);
  const rnd = mulberry32(o.seed);
  const grid = timeGrid(o, rnd);
  const n = grid.length;
  for (let f = 0; f < o.families; f++) {
    const sfx = f === 0 ? '' : `_f${f}`;
    // Counter with resets: even series reset at the middle, every third also at three quarters.
    const cname = `gen_requests${sfx}_total`;
    for (let i = 0; i < o.series; i++) {
      const labels: Record<string, string> = { code: i % 3 ? '200' : '500', instance: `host-${i}:9100`, job: 'api' };
      if (i === 0) labels.path = '/q/"quoted"\\x\nnl';
      let v = Math.floor(rnd() * 1000);
      const samples: GenSample[] = [];
      for (let k = 0; k < n; k++) {
        if ((k === n >> 1 && i % 2 === 0) || (k === (3 * n) >> 2 && i % 3 === 0)) v = 0;
        v += 1 + Math.floor(rnd() * (i + 3));
        samples.push(sample(grid[k]!, v));
      }
      yield { family: cname.slice(0, -'_total'.length), type: 'counter', seriesText: seriesText(cname, labels), labels: { __name__: cname, ...labels }, samples };
    }
    // Gauge: smooth wave plus noise, full float precision.
    const gname = `gen_temperature${sfx}_celsius`;
    for (let i = 0; i < o.series; i++) {
      const labels = { instance: `host-${i}:9100`, job: 'node' };
      const samples = grid.map((tt, k) => sample(tt, 40 + 10 * Math.sin(k / 50 + i) + rnd() * 0.01));
      yield { family: gname, type: 'gauge', unit: 'celsius', seriesText: seriesText(gname, labels), labels: { __name__: gname, ...labels }, samples };
    }
    // Classic histogram.
    const hname = `gen_request_duration${sfx}_seconds`;
    const les = ['0.1', '0.5', '1', '+Inf'];
    for (let i = 0; i < Math.max(1, o.series >> 1); i++) {
      const base = { instance: `host-${i}:9100`, job: 'api' };
      const counts = [0, 0, 0, 0];
      const buckets: GenSample[][] = les.map(() => []);
      const sums: GenSample[] = [], cnts: GenSample[] = [];
      let sum = 0, cnt = 0;
      for (let k = 0; k < n; k++) {
        const obs = 1 + Math.floor(rnd() * 5);
        for (let j = 0; j < obs; j++) {
          const d = rnd() * 1.5;
          sum += d; cnt++;
          for (let b = 0; b < les.length; b++) if (b === 3 || d <= Number(les[b])) counts[b]!++;
        }
        for (let b = 0; b < les.length; b++) buckets[b]!.push(sample(grid[k]!, counts[b]!));
        sums.push(sample(grid[k]!, sum)); cnts.push(sample(grid[k]!, cnt));
      }
      for (let b = 0; b < les.length; b++) {
        const labels = { ...base, le: les[b]! };
        yield { family: hname, type: 'histogram', seriesText: seriesText(`${hname}_bucket`, labels), labels: { __name__: `${hname}_bucket`, ...labels }, samples: buckets[b]! };
      }
      yield { family: hname, type: 'histogram', seriesText: seriesText(`${hname}_sum`, base), labels: { __name__: `${hname}_sum`, ...base }, samples: sums };
      yield { family: hname, type: 'histogram', seriesText: seriesText(`${hname}_count`, base), labels: { __name__: `${hname}_count`, ...base }, samples: cnts };
    }
    // A gauge that disappears for the middle third of the range.
    const fname = `gen_flaky_up${sfx}`;
    for (let i = 0; i < Math.max(1, o.series >> 1); i++) {
      const labels = { instance: `host-${i}:9100`, job: 'flaky' };
      const samples = grid.filter((_, k) => k < n / 3 || k >= (2 * n) / 3).map((tt) => sample(tt, rnd() < 0.9 ? 1 : 0));
      yield { family: fname, type: 'gauge', seriesText: seriesText(fname, labels), labels: { __name__: fname, ...labels }, samples };
    }
    if (o.summaries) {
      const qname = `gen_rpc_duration${sfx}_seconds`;
      for (let i = 0; i < Math.max(1, o.series >> 2); i++) {
        const base = { instance: `host-${i}:9100`, job: 'rpc' };
        const qs = ['0.5', '0.9', '0.99'];
        const qv: GenSample[][] = qs.map(() => []);
        const sums: GenSample[] = [], cnts: GenSample[] = [];
        let sum = 0, cnt = 0;
        for (let k = 0; k < n; k++) {
          const m = 0.05 + rnd() * 0.1;
          qs.forEach((q, j) => qv[j]!.push(sample(grid[k]!, m * (1 + Number(q) * (j + 1)))));
          cnt += 10; sum += m * 10;
          sums.push(sample(grid[k]!, sum)); cnts.push(sample(grid[k]!, cnt));
        }
        for (let j = 0; j < qs.length; j++) {
          const labels = { ...base, quantile: qs[j]! };
          yield { family: qname, type: 'summary', seriesText: seriesText(qname, labels), labels: { __name__: qname, ...labels }, samples: qv[j]! };
        }
        yield { family: qname, type: 'summary', seriesText: seriesText(`${qname}_sum`, base), labels: { __name__: `${qname}_sum`, ...base }, samples: sums };
        yield { family: qname, type: 'summary', seriesText: seriesText(`${qname}_count`, base), labels: { __name__: `${qname}_count`, ...base }, samples: cnts };
      }
    }
    if (o.specials) {
      const sname = `gen_special_values${sfx}`;
      const specials = [NaN, Infinity, -Infinity, -0, 0, Number.MAX_VALUE, Number.MIN_VALUE, -1e-300, 1e21, 0.1 + 0.2];
      const labels = { job: 'special' };
      const samples = grid.map((tt, k) => sample(tt, k % 3 === 0 ? specials[(k / 3) % specials.length]! : k));
      yield { family: sname, type: 'gauge', seriesText: seriesText(sname, labels), labels: { __name__: sname, ...labels }, samples };
    }
  }
}

function header(s: GenSeries): string {
  const unit = s.unit ? `# UNIT ${s.family} ${s.unit}\n` : '';
  return `# HELP ${s.family} generated ${s.type} for tests\n# TYPE ${s.family} ${s.type}\n${unit}`;
}

/** Summary of a written file. */
export interface GenStats { series: number; samples: number; bytes: number; minT: number; maxT: number }

/** Writes the OpenMetrics text to `path` in pieces of about `pieceBytes` (default 1 MiB). */
export function writeOpenMetrics(path: string, opts: OpenMetricsGenOptions = {}, pieceBytes = 1 << 20): GenStats {
  const fd = openSync(path, 'w');
  const st: GenStats = { series: 0, samples: 0, bytes: 0, minT: Infinity, maxT: -Infinity };
  let buf = '';
  const flush = (): void => { if (buf) { st.bytes += writeSync(fd, buf); buf = ''; } };
  try {
    let family = '';
    for (const s of generateSeries(opts)) {
      if (s.family !== family) {
        family = s.family;
        buf += header(s);
      }
      st.series++;
      for (const x of s.samples) {
        buf += `${s.seriesText} ${x.vText} ${x.tText}\n`;
        st.samples++;
        if (x.t < st.minT) st.minT = x.t;
        if (x.t > st.maxT) st.maxT = x.t;
        if (buf.length >= pieceBytes) flush();
      }
    }
    buf += '# EOF\n';
    flush();
  } finally {
    closeSync(fd);
  }
  return st;
}

/** The whole text as one string (small inputs only). */
export function openMetricsText(opts: OpenMetricsGenOptions = {}): string {
  let out = '';
  let family = '';
  for (const s of generateSeries(opts)) {
    if (s.family !== family) { family = s.family; out += header(s); }
    for (const x of s.samples) out += `${s.seriesText} ${x.vText} ${x.tText}\n`;
  }
  return out + '# EOF\n';
}
