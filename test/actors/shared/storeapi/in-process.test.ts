import t from 'tap';
import { inProcessStoreAPI } from '../../../../actors/shared/storeapi/in-process.js';
import { seriesRequest, type SeriesFrame } from '../../../../actors/shared/storeapi/protocol.js';
import type { StoreAPI } from '../../../../actors/shared/storeapi/storeapi.js';

t.test('in-process adapter - a malformed frame from the server is STOREAPI_BAD_RESPONSE and closes it', async (t) => {
  let closed = false;
  const server: StoreAPI = {
    info: async () => ({ kind: 'storeapi.info', labelSets: [], componentType: 'debug' }),
    series: () => (async function* (): AsyncGenerator<SeriesFrame> {
      try {
        yield { kind: 'series', series: { labels: [{ name: 'b', value: '1' }, { name: 'a', value: '2' }], chunks: [] } };
        yield { kind: 'warning', message: 'never pulled' };
      } finally { closed = true; }
    })(),
    labelNames: async () => ({ kind: 'storeapi.labelNames.result', names: ['b', 'a'], warnings: [] }),
    labelValues: async () => ({ kind: 'storeapi.labelValues.result', values: [], warnings: [] }),
  };
  const client = inProcessStoreAPI(server);
  const run = async () => { for await (const _ of client.series(seriesRequest({ matchers: [{ type: '=', name: 'a', value: '2' }] }), new AbortController().signal)) { /* drain */ } };
  await t.rejects(run(), { code: 'STOREAPI_BAD_RESPONSE' });
  t.ok(closed, 'server stream closed');
  await t.rejects(client.labelNames({ kind: 'storeapi.labelNames', start: 0, end: 1, matchers: [], partialResponseStrategy: 'WARN', withoutReplicaLabels: [], limit: 0 }, new AbortController().signal),
    { code: 'STOREAPI_BAD_RESPONSE' });
});
