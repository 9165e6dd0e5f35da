/** Small helpers shared by the cache client tests. */
import type { Test } from 'tap';
import type { Registry } from 'prom-client';
import type { RemoteCache } from '../../../../actors/shared/cache/remote-cache.js';

/** Sum of the values of metric `name` whose labels include `labels` (0 when the metric does not exist). */
export async function counter(reg: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const m = reg.getSingleMetric(name);
  if (m === undefined) return 0;
  const { values } = await m.get();
  return values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((s, v) => s + v.value, 0);
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));

/**
 * The RemoteCache contract's binary round trip: every byte value, `lookalike` (bytes that look like
 * the backend's own protocol), an empty value and 1 MiB come back equal; an absent key is no entry.
 * Keys are `rt:<name>` (all, crlf, empty, big).
 */
export async function checkBinaryRoundTrip(t: Test, c: RemoteCache, lookalike: string): Promise<void> {
  const values: Record<string, Uint8Array> = {
    all: Uint8Array.from({ length: 256 }, (_, i) => i),
    crlf: enc(lookalike),
    empty: new Uint8Array(0),
    big: new Uint8Array(1024 * 1024).map((_, i) => (i * 31 + 7) & 0xff),
  };
  for (const [k, v] of Object.entries(values)) c.setAsync(`rt:${k}`, v, 60_000);
  await c.flush();
  const got = await c.getMulti(Object.keys(values).map((k) => `rt:${k}`).concat('rt:absent'));
  t.equal(got.size, 4, 'absent key is not in the map');
  for (const [k, v] of Object.entries(values)) t.ok(Buffer.from(got.get(`rt:${k}`)!).equals(Buffer.from(v)), k);
}
