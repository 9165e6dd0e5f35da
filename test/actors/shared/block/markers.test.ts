import t from 'tap';
import { MemoryBucket } from '../../../../actors/shared/objstore/memory.js';
import { encodeMarker, markBlock, parseMarker, readMarker } from '../../../../actors/shared/block/markers.js';

const ID = '01HZZZZZZZZZZZZZZZZZZZZZZZ';

t.test('markers serialise like Thanos (compact JSON, Go field order, unix seconds)', async (t) => {
  t.equal(encodeMarker({ kind: 'deletion', id: ID, version: 1, timeSec: 1700000000 }),
    `{"id":"${ID}","version":1,"deletion_time":1700000000}`);
  t.equal(encodeMarker({ kind: 'no-compact', id: ID, version: 1, timeSec: 5, details: 'too big', reason: 'index-size-exceeding' }),
    `{"id":"${ID}","version":1,"details":"too big","no_compact_time":5,"reason":"index-size-exceeding"}`);
  t.equal(encodeMarker({ kind: 'no-downsample', id: ID, version: 1, timeSec: 7, reason: 'manual' }),
    `{"id":"${ID}","version":1,"no_downsample_time":7,"reason":"manual"}`);
  t.same(parseMarker('no-compact', `{"id":"${ID}","version":1,"details":"x","no_compact_time":5,"reason":"manual"}`, 'f'),
    { kind: 'no-compact', id: ID, version: 1, timeSec: 5, details: 'x', reason: 'manual' });
});

t.test('bad markers are typed errors naming file and field', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['{"id":"', /invalid JSON/],
    ['[]', /field id/],
    [`{"id":"${ID}","version":2,"deletion_time":1}`, /field version/],
    [`{"id":"nope","version":1,"deletion_time":1}`, /field id/],
    [`{"id":"${ID}","version":1,"deletion_time":"x"}`, /deletion_time/],
  ];
  for (const [text, re] of cases) {
    t.throws(() => parseMarker('deletion', text, 'B/deletion-mark.json'), { code: 'BLOCK_BAD_MARKER', message: re }, text);
  }
});

t.test('markBlock writes once; readMarker reads it back or undefined', async (t) => {
  const bkt = new MemoryBucket();
  t.equal(await readMarker(bkt, ID, 'deletion'), undefined);
  t.equal(await markBlock(bkt, { kind: 'deletion', id: ID, version: 1, timeSec: 100 }), true);
  t.equal(await markBlock(bkt, { kind: 'deletion', id: ID, version: 1, timeSec: 200 }), false, 'existing mark is kept');
  t.equal((await readMarker(bkt, ID, 'deletion'))?.timeSec, 100);
});
