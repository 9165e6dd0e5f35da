import t from 'tap';
import { MemoryBucket } from '../../../../actors/shared/objstore/memory.js';
import { PrefixedBucket } from '../../../../actors/shared/objstore/prefixed.js';
import { describeBucket } from './bucket.contract.js';

describeBucket(t, 'MEMORY', async () => ({ bucket: new MemoryBucket() }));

describeBucket(t, 'PREFIXED over MEMORY', async () => {
  const inner = new MemoryBucket();
  await inner.upload('outside/prefix', new Uint8Array(1));
  await inner.upload('tenant-ab/x', new Uint8Array(1));
  return { bucket: new PrefixedBucket(inner, '/tenant-a/') };
}, { many: 200 });

t.test('many concurrent operations on one signal add no listeners to it', async (t) => {
  const b = new MemoryBucket();
  await b.upload('a', new Uint8Array(10));
  const ctl = new AbortController();
  const warnings: string[] = [];
  const onWarn = (w: Error): void => { warnings.push(w.name); };
  process.on('warning', onWarn);
  t.teardown(() => { process.off('warning', onWarn); });
  const streams = await Promise.all(Array.from({ length: 40 }, () => b.get('a', { signal: ctl.signal })));
  await Promise.all(Array.from({ length: 40 }, () => b.getRange('a', 0, 5, { signal: ctl.signal, timeoutMs: 10_000 })));
  for (const s of streams) s.resume();
  await new Promise((r) => setImmediate(r));
  t.same(warnings.filter((w) => w === 'MaxListenersExceededWarning'), []);
});
