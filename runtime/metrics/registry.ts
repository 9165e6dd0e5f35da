/**
 * Metrics plumbing over prom-client. Every process owns its own `Registry` (never prom-client's
 * global one), so two components in one process, or two tests in one file, never collide.
 * Metrics are created through `metricsFor(registry)`, which enforces the naming rules:
 * names start with `athanor_` (like Thanos's `thanos_`), counters end in `_total`, and creating
 * the same metric twice returns the first one instead of throwing.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration, type Metric } from 'prom-client';
import { ConfigError } from '../errors/runtime-errors.js';

export type { Registry } from 'prom-client';

export const METRIC_PREFIX = 'athanor_';

export interface RegistryOptions {
  /** Collect process_* and nodejs_* metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** Labels added to every series of this registry. */
  readonly labels?: Record<string, string>;
}

/** A fresh registry, with Node's default process metrics unless disabled. */
export function createRegistry(opts: RegistryOptions = {}): Registry {
  const registry = new Registry();
  if (opts.labels) registry.setDefaultLabels(opts.labels);
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

type Cfg<C> = Omit<C, 'registers'>;

/** Creates (or returns the existing) metrics on one registry. */
export interface MetricsFactory {
  readonly registry: Registry;
  counter<L extends string = string>(cfg: Cfg<CounterConfiguration<L>>): Counter<L>;
  gauge<L extends string = string>(cfg: Cfg<GaugeConfiguration<L>>): Gauge<L>;
  histogram<L extends string = string>(cfg: Cfg<HistogramConfiguration<L>>): Histogram<L>;
}

/** The metrics factory bound to `registry`. */
export function metricsFor(registry: Registry): MetricsFactory {
  function make<M extends Metric<string>>(name: string, kind: string, isKind: (m: Metric<string>) => boolean, build: () => M): M {
    if (!name.startsWith(METRIC_PREFIX)) throw new ConfigError(`creating metric ${name}: name must start with "${METRIC_PREFIX}"`);
    const existing = registry.getSingleMetric(name);
    if (existing !== undefined) {
      if (!isKind(existing)) throw new ConfigError(`creating metric ${name}: already registered with another type than ${kind}`);
      return existing as M;
    }
    return build();
  }
  return {
    registry,
    counter(cfg) {
      if (!cfg.name.endsWith('_total')) throw new ConfigError(`creating counter ${cfg.name}: counter names end in "_total"`);
      return make(cfg.name, 'counter', (m) => m instanceof Counter, () => new Counter({ ...cfg, registers: [registry] }));
    },
    gauge(cfg) {
      return make(cfg.name, 'gauge', (m) => m instanceof Gauge, () => new Gauge({ ...cfg, registers: [registry] }));
    },
    histogram(cfg) {
      return make(cfg.name, 'histogram', (m) => m instanceof Histogram, () => new Histogram({ ...cfg, registers: [registry] }));
    },
  };
}
