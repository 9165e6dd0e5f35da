import type { Samples } from './samples.js';

/**
 * The two-replica case of the penalty deduplication as one flat loop over the columnar arrays:
 * the same decisions as PenaltyPair over two ReplicaCursors (a differential property test holds
 * them equal), without per-sample virtual calls. See penalty.ts for the algorithm.
 */
export function dedupPenalty2(a: Samples, b: Samples, counter: boolean, initialPenaltyMs: number): Samples {
  const at = a.ts, av = a.vs, bt = b.ts, bv = b.vs;
  const na = at.length, nb = bt.length;
  const ts = new Float64Array(na + nb), vs = new Float64Array(na + nb);
  let i = 0, j = 0, n = 0;
  let aOk = na > 0, bOk = nb > 0;
  let useA = true, emitted = false;
  let lastT = 0, penA = 0, penB = 0;
  let offA = 0, offB = 0;
  let pendA = NaN, pendB = NaN;

  for (;;) {
    const hadLast: boolean = emitted;
    const lastUseA: boolean = useA;
    let lastV = 0;
    if (hadLast) {
      lastV = useA ? valueAt(av, i, offA) : valueAt(bv, j, offB);
      if (aOk) {
        const target = lastT + 1 + penA;
        while (i < na && at[i]! < target) i++;
        aOk = i < na;
        if (pendA === pendA) {
          if (!aOk) pendA = NaN;
          else if (av[i] === av[i]) { const last = pendA; pendA = NaN; if (counter && last > av[i]! + offA) offA += last - (av[i]! + offA); }
        }
      }
      if (bOk) {
        const target = lastT + 1 + penB;
        while (j < nb && bt[j]! < target) j++;
        bOk = j < nb;
        if (pendB === pendB) {
          if (!bOk) pendB = NaN;
          else if (bv[j] === bv[j]) { const last = pendB; pendB = NaN; if (counter && last > bv[j]! + offB) offB += last - (bv[j]! + offB); }
        }
      }
    }
    if (!aOk) {
      useA = false;
      if (!bOk) break;
      lastT = bt[j]!;
      penB = 0;
    } else if (!bOk) {
      useA = true;
      lastT = at[i]!;
      penA = 0;
    } else {
      const ta = at[i]!, tb = bt[j]!;
      useA = ta <= tb;
      if (useA) {
        penB = hadLast ? 2 * (ta - lastT) : initialPenaltyMs;
        penA = 0;
        lastT = ta;
      } else {
        penA = hadLast ? 2 * (tb - lastT) : initialPenaltyMs;
        penB = 0;
        lastT = tb;
      }
    }
    if (counter && hadLast && useA !== lastUseA) {
      if (aOk) {
        const v = av[i]!;
        if (v !== v) pendA = lastV; else if (lastV > v + offA) offA += lastV - (v + offA);
      }
      if (bOk) {
        const v = bv[j]!;
        if (v !== v) pendB = lastV; else if (lastV > v + offB) offB += lastV - (v + offB);
      }
    }
    emitted = true;
    if (useA) { ts[n] = lastT; vs[n] = valueAt(av, i, offA); } else { ts[n] = lastT; vs[n] = valueAt(bv, j, offB); }
    n++;
  }
  return { ts: ts.subarray(0, n), vs: vs.subarray(0, n) };
}

function valueAt(v: Float64Array, i: number, off: number): number {
  const raw = v[i]!;
  return off === 0 || raw !== raw ? raw : raw + off;
}
