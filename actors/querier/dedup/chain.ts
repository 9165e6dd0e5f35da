import { EMPTY_SAMPLES, type Samples } from './samples.js';

/**
 * `--deduplication.func=chain` (Prometheus's chained series merge): every sample of every replica,
 * merged by timestamp; of several samples with the same timestamp only one is kept — the one of the
 * lowest-indexed replica. Meant for replicas holding the same samples (Receive replication); with
 * scrape-offset replicas it interleaves them, doubling the sample rate (use penalty there).
 * O(total × K) with K replicas, no allocation beyond the output.
 */
export function dedupChain(replicas: readonly Samples[]): Samples {
  const k = replicas.length;
  if (k === 0) return EMPTY_SAMPLES;
  if (k === 1) return replicas[0]!;
  if (k === 2) return chain2(replicas[0]!, replicas[1]!);
  let cap = 0;
  for (const r of replicas) cap += r.ts.length;
  const ts = new Float64Array(cap), vs = new Float64Array(cap);
  const pos = new Int32Array(k);
  let n = 0;
  for (;;) {
    let best = -1, bestT = Infinity;
    for (let r = 0; r < k; r++) {
      const s = replicas[r]!;
      if (pos[r]! < s.ts.length && s.ts[pos[r]!]! < bestT) { best = r; bestT = s.ts[pos[r]!]!; }
    }
    if (best < 0) break;
    ts[n] = bestT;
    vs[n] = replicas[best]!.vs[pos[best]!]!;
    n++;
    for (let r = 0; r < k; r++) {
      const s = replicas[r]!;
      if (pos[r]! < s.ts.length && s.ts[pos[r]!] === bestT) pos[r]!++;
    }
  }
  return { ts: ts.subarray(0, n), vs: vs.subarray(0, n) };
}

function chain2(a: Samples, b: Samples): Samples {
  const na = a.ts.length, nb = b.ts.length;
  const ts = new Float64Array(na + nb), vs = new Float64Array(na + nb);
  const at = a.ts, bt = b.ts;
  let i = 0, j = 0, n = 0;
  while (i < na && j < nb) {
    const x = at[i]!, y = bt[j]!;
    if (x <= y) {
      ts[n] = x; vs[n] = a.vs[i]!; n++; i++;
      if (x === y) j++;
    } else {
      ts[n] = y; vs[n] = b.vs[j]!; n++; j++;
    }
  }
  for (; i < na; i++, n++) { ts[n] = at[i]!; vs[n] = a.vs[i]!; }
  for (; j < nb; j++, n++) { ts[n] = bt[j]!; vs[n] = b.vs[j]!; }
  return { ts: ts.subarray(0, n), vs: vs.subarray(0, n) };
}
