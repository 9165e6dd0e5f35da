// Bench support: the pair of store gateways (BucketStores split in time at `mid`: s0 before, s1
// after) over one FILESYSTEM bucket, served on one real nats-server — the store side of
// querier.bench.ts, run apart from the querier as it is deployed. `which` picks the gateway this
// process serves (0 or 1; default both). Prints READY once serving; exits on SIGTERM.
// Usage: store-pair.ts <bucket dir> <nats url> <prefix> <mid RFC3339> [0|1|both]
import { parseTimeFlag } from '../../../actors/shared/block/time-flag.js';
import { FilesystemBucket } from '../../../actors/shared/objstore/filesystem.js';
import { serveStoreAPI } from '../../../actors/shared/storeapi/server/serve.js';
import { BucketStore } from '../../../actors/store/bucket-store.js';
import { NatsTransport } from '../../../runtime/transport/nats-transport.js';
import { Subjects } from '../../../runtime/transport/subject.js';

const [dir, url, prefix, mid, which = 'both'] = process.argv.slice(2) as [string, string, string, string, string?];
const bucket = new FilesystemBucket({ directory: dir });
const transport = await NatsTransport.connect({ servers: [url], prefix });
const subjects = new Subjects(prefix);
const host = { announce: async () => ({ update: () => undefined, withdraw: async () => undefined }) };
const stores = [
  new BucketStore({ bucket, maxTime: parseTimeFlag(mid, 'max-time') }),
  new BucketStore({ bucket, minTime: parseTimeFlag(mid, 'min-time') }),
];
const servers: { close(): Promise<void> }[] = [];
for (const [i, s] of stores.entries()) {
  if (which !== 'both' && which !== String(i)) continue;
  await s.sync();
  servers.push(await serveStoreAPI({ transport, subjects, host, component: 'store', id: `s${i}`, impl: s }));
}
await transport.flush();
process.stdout.write('READY\n');
process.once('SIGTERM', async () => {
  for (const s of servers) await s.close();
  for (const s of stores) await s.close();
  await transport.drain();
  await bucket.close();
  process.exit(0);
});
