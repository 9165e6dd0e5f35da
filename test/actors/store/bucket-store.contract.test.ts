import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { MemoryBucket } from '../../../actors/shared/objstore/memory.js';
import type { InfoResponse } from '../../../actors/shared/storeapi/protocol.js';
import type { Series } from '../../../actors/shared/storeapi/types.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { describeStoreAPI } from '../shared/storeapi/storeapi.contract.js';
import { putBlockDir, writeChunkBlock } from './block-fixtures.js';

// The fixture's series are split over two blocks (chunks starting before 1001 in one, the rest in
// the other), so a series with chunks in both must come back once with all of them. The fixture
// announces label sets its series do not carry; blocks add their external labels to every series,
// so these blocks have none and Info's label sets are taken from the fixture (the only adaptation).
describeStoreAPI(t, 'BucketStore', async (f) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-contract-'));
  const bkt = new MemoryBucket();
  const split = (pred: (minTime: number) => boolean): Series[] => f.series
    .map((s) => ({ labels: s.labels, chunks: s.chunks.filter((c) => pred(c.minTime)) }))
    .filter((s) => s.chunks.length > 0);
  for (const part of [split((m) => m < 1001), split((m) => m >= 1001)]) {
    const meta = await writeChunkBlock(dir, part);
    await putBlockDir(bkt, join(dir, meta.ulid), meta.ulid);
  }
  const inner = new BucketStore({ bucket: bkt });
  await inner.sync();
  const store = Object.assign(Object.create(inner) as BucketStore, {
    info: async (s?: AbortSignal): Promise<InfoResponse> => {
      const i = await inner.info(s);
      return { ...i, labelSets: f.labelSets, store: { ...i.store!, tsdbInfos: f.labelSets.map((labels) => ({ labels, minTime: i.store!.minTime, maxTime: i.store!.maxTime })) } };
    },
  });
  return { store, done: async () => { await inner.close(); await rm(dir, { recursive: true, force: true }); } };
});
