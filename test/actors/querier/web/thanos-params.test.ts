import t from 'tap';
import { FormValues } from '../../../../actors/shared/promql/api/form.js';
import { parseThanosParams } from '../../../../actors/querier/web/thanos-params.js';

const form = (o: Record<string, string[]>) => new FormValues(new Map(Object.entries(o)), undefined);
const d = { replicaLabels: ['replica'], partialResponse: true, autoDownsampling: false };

t.test('defaults and overrides', async (t) => {
  t.same(parseThanosParams(form({}), d, undefined), { dedup: true, partialResponse: true, maxSourceResolutionMs: 0, replicaLabels: ['replica'], storeMatch: [] });
  const p = parseThanosParams(form({ dedup: ['false'], partial_response: ['0'], max_source_resolution: ['5m'], 'replicaLabels[]': ['a', 'b'] }), d, undefined);
  t.same([p.dedup, p.partialResponse, p.maxSourceResolutionMs, p.replicaLabels], [false, false, 300_000, ['a', 'b']]);
  t.equal(parseThanosParams(form({ max_source_resolution: ['auto'] }), d, 60_000).maxSourceResolutionMs, 12_000, 'auto = step/5');
  t.equal(parseThanosParams(form({}), { ...d, autoDownsampling: true }, 3600_000).maxSourceResolutionMs, 720_000, '--query.auto-downsampling');
  t.equal(parseThanosParams(form({ max_source_resolution: ['0s'] }), d, 60_000).maxSourceResolutionMs, 0);
  t.equal(parseThanosParams(form({ 'storeMatch[]': ['{__address__=~"store/.*"}'] }), d, undefined).storeMatch.length, 1);
});

t.test('bad values are bad_data errors naming the parameter', async (t) => {
  t.throws(() => parseThanosParams(form({ dedup: ['maybe'] }), d, undefined), { message: /dedup/ });
  t.throws(() => parseThanosParams(form({ max_source_resolution: ['-1h'] }), d, undefined), { message: /max_source_resolution/ });
  t.throws(() => parseThanosParams(form({ max_source_resolution: ['soon'] }), d, undefined), { message: /max_source_resolution/ });
  t.throws(() => parseThanosParams(form({ 'storeMatch[]': ['{'] }), d, undefined), { message: /storeMatch/ });
});
