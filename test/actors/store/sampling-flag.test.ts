import t from 'tap';
import { ConfigError } from '../../../runtime/errors/runtime-errors.js';
import { storeSettingsFromFlags } from '../../../actors/store/flags.js';

t.test('--store.index-header-posting-offsets-in-mem-sampling: default 32, integer ≥ 1', async (t) => {
  const flag = 'store.index-header-posting-offsets-in-mem-sampling';
  t.equal((await storeSettingsFromFlags({})).postingOffsetsInMemSampling, 32, 'Thanos default');
  t.equal((await storeSettingsFromFlags({ [flag]: '1' })).postingOffsetsInMemSampling, 1, '1 = every entry');
  t.equal((await storeSettingsFromFlags({ [flag]: '64' })).postingOffsetsInMemSampling, 64);
  for (const bad of ['0', '-1', '2.5', 'x', '']) {
    await t.rejects(storeSettingsFromFlags({ [flag]: bad }), ConfigError, `${JSON.stringify(bad)} is refused`);
  }
});
