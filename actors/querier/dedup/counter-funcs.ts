/**
 * PromQL functions whose input deduplication treats as a counter (Thanos `isCounter`: rate,
 * increase, irate, resets — plus xrate and xincrease, as Thanos added later). Detection is by the
 * wrapping function's name, not the metric type, exactly as Thanos does (its issue #2547).
 */
const COUNTER_FUNCS: ReadonlySet<string> = new Set(['rate', 'increase', 'irate', 'resets', 'xrate', 'xincrease']);

export function isCounterFunc(name: string | undefined): boolean {
  return name !== undefined && COUNTER_FUNCS.has(name);
}
