/** Bit pattern of Prometheus' stale-marker NaN. */
export const STALE_NAN_BITS = 0x7ff0000000000002n;

const buf = new DataView(new ArrayBuffer(8));

/** The stale-marker NaN as a number (store it via Float64Array/DataView to keep the payload). */
export function staleNaN(): number {
  buf.setBigUint64(0, STALE_NAN_BITS);
  return buf.getFloat64(0);
}

/** True if `v`'s bits are exactly the stale marker (only reliable for values read from typed arrays). */
export function isStaleNaN(v: number): boolean {
  buf.setFloat64(0, v);
  return buf.getBigUint64(0) === STALE_NAN_BITS;
}
