/**
 * Kahan–Neumaier compensated summation as Prometheus 2.42 `kahanSumInc` does it: the running sum
 * and the compensation are kept apart; the caller adds them at the end (`sum + c`), except that
 * 2.42 returns the bare sum when it is ±Inf.
 */
export class KahanSum {
  sum = 0;
  c = 0;

  reset(): void { this.sum = 0; this.c = 0; }

  add(inc: number): void {
    const s = this.sum;
    const t = s + inc;
    if (Math.abs(s) >= Math.abs(inc)) this.c += (s - t) + inc;
    else this.c += (inc - t) + s;
    this.sum = t;
  }
}
