import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { uploadBlock } from '../../../actors/shared/block/upload.js';
import { labelsToObject } from '../../../actors/shared/labels/labels.js';
import { MemoryBucket } from '../../../actors/shared/objstore/memory.js';
import type { SampleSeries } from '../../../actors/shared/storeapi/memory-store.js';
import { writeBlock } from '../../../actors/shared/tsdb/block/writer.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { NatsTransport } from '../../../runtime/transport/nats-transport.js';
import { startNats } from '../../harness/nats.js';
import { startClient, startServer } from '../shared/storeapi/transport/nodes.js';
import { describeStoreAPI, type ContractFixture } from '../shared/storeapi/contract/storeapi.contract.js';

const H = 3_600_000;

/**
 * Writes the fixture as two real blocks split at 2h (so series spanning both come back merged, once,
 * with the chunks of both blocks), uploads them with the fixture's external labels as `thanos.labels`,
 * and serves them with a BucketStore.
 */
async function bucketStoreOf(f: ContractFixture) {
  const dir = await mkdtemp(join(tmpdir(), 'store-contract-'));
  const bkt = new MemoryBucket();
  const part = (keep: (t: number) => boolean) => f.series
    .map((s: SampleSeries) => {
      const kept = s.samples.filter(([ts]) => keep(ts));
      return { labels: s.labels, ts: kept.map(([ts]) => ts), vs: Float64Array.from(kept, ([, v]) => v) };
    })
    .filter((s) => s.ts.length > 0);
  for (const input of [part((ts) => ts < 2 * H), part((ts) => ts >= 2 * H)]) {
    const meta = await writeBlock(dir, input);
    await uploadBlock(bkt, join(dir, meta.ulid), { labels: labelsToObject(f.externalLabels) });
  }
  const store = new BucketStore({ bucket: bkt });
  const rep = await store.sync();
  if (rep.loaded.length !== 2) throw new Error(`expected 2 blocks, loaded ${rep.loaded.length}`);
  return { store, done: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); } };
}

describeStoreAPI(t, 'BucketStore over two blocks', bucketStoreOf);

describeStoreAPI(t, 'BucketStore via serveStoreAPI + StoreClient over a real nats-server', async (f) => {
  const nats = await startNats();
  t.teardown(() => nats.stop());
  const { store, done } = await bucketStoreOf(f);
  const st = await NatsTransport.connect({ servers: [nats.url], name: 'store-server' });
  const ct = await NatsTransport.connect({ servers: [nats.url], name: 'store-client' });
  const node = await startServer(st, { component: 'store', id: 'gw-1', impl: store, batchBytes: 2048 });
  const client = startClient(ct, { responseTimeoutMs: 10_000 });
  const ref = await client.store('store/gw-1');
  return {
    store: ref.client,
    done: async () => { await client.stop(); await node.stop(); await ct.drain(); await st.drain(); await done(); await nats.stop(); },
  };
});
