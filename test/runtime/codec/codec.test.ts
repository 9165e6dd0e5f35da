import t from 'tap';
import fc from 'fast-check';
import { decode, decodeMultiple, encode } from '../../../runtime/codec/codec.js';
import { expectBytes, expectInt, expectKind, expectString, isRecord, optionalString } from '../../../runtime/codec/validate.js';
import { DecodeError } from '../../../runtime/errors/runtime-errors.js';

t.test('plain data and typed arrays round-trip as the same classes', async (t) => {
  const v = {
    kind: 'series', s: 'x', n: -1.5, i: 42, b: true, nil: null, arr: [1, 'a', [2]],
    f64: new Float64Array([1.5, NaN, -0]), i64: new BigInt64Array([2n ** 62n]), u8: new Uint8Array([1, 2, 3]),
    u32: new Uint32Array([7]), big: 2n ** 60n, nested: { deep: { x: new Int16Array([-3]) } },
  };
  const back = decode(encode(v), 'test') as typeof v;
  t.ok(back.f64 instanceof Float64Array);
  t.ok(Number.isNaN(back.f64[1]!));
  t.ok(Object.is(back.f64[2], -0));
  t.ok(back.i64 instanceof BigInt64Array);
  t.equal(back.i64[0], 2n ** 62n);
  t.ok(back.u8 instanceof Uint8Array);
  t.ok(back.u32 instanceof Uint32Array);
  t.ok(back.nested.deep.x instanceof Int16Array);
  t.equal(back.big, 2n ** 60n);
  t.same({ ...back, f64: undefined }, { ...v, f64: undefined });
});

t.test('decoded values do not alias the encoded bytes', async (t) => {
  const bytes = encode({ u: new Uint8Array([9, 9]) });
  const back = decode(bytes, 'test') as { u: Uint8Array };
  bytes.fill(0);
  t.same([...back.u], [9, 9]);
});

t.test('property: JSON-like values survive a round trip', async () => {
  // msgpackr renames a `__proto__` key (prototype-pollution guard), tested separately below.
  fc.assert(fc.property(fc.jsonValue().filter((v) => !JSON.stringify(v).includes('"__proto__"')), (v) => {
    const back = decode(encode(v), 'prop');
    // -0 becomes 0 in JSON values; compare through JSON to ignore that.
    return JSON.stringify(back) === JSON.stringify(v);
  }), { numRuns: 300 });
});

t.test('malformed bytes throw DecodeError naming what was decoded', async (t) => {
  const good = encode({ kind: 'x', a: 'hello world' });
  for (const bad of [good.subarray(0, good.length - 3), Uint8Array.of(0xa5, 0x61), Uint8Array.of(1, 2), new Uint8Array(0)]) {
    const err = (() => { try { decode(bad, 'reply on athanor.rpc.x.y'); return undefined; } catch (e) { return e; } })();
    t.ok(err instanceof DecodeError, `rejects ${bad.length} bytes`);
    t.match((err as Error).message, /^decoding reply on athanor\.rpc\.x\.y: /);
  }
});

t.test('validators accept good messages and reject bad ones with DecodeError', async (t) => {
  const m = expectKind({ kind: 'hello', id: 'a', n: 3, b: new Uint8Array(1) }, ['hello', 'bye'], 'announce');
  t.equal(expectString(m, 'id', 'announce'), 'a');
  t.equal(expectInt(m, 'n', 'announce', 10), 3);
  t.equal(expectBytes(m, 'b', 'announce').length, 1);
  t.equal(optionalString(m, 'missing', 'announce'), undefined);
  t.throws(() => expectKind({ kind: 'other' }, ['hello'], 'announce'), DecodeError);
  t.throws(() => expectKind([1], ['hello'], 'announce'), DecodeError);
  t.throws(() => expectKind(null, ['hello'], 'announce'), DecodeError);
  t.throws(() => expectInt({ n: 11 }, 'n', 'x', 10), DecodeError);
  t.throws(() => expectInt({ n: 1.5 }, 'n', 'x'), DecodeError);
  t.throws(() => expectString({ id: 1 }, 'id', 'x'), /field "id" must be a string, got number/);
  t.notOk(isRecord(new Uint8Array(1)));
  t.ok(isRecord({}));
});

t.test('decodeMultiple reads concatenated messages', async (t) => {
  const parts = [encode(1), encode('a'), encode({ f: new Float32Array([0.5]) })];
  const all = Buffer.concat(parts);
  const back = decodeMultiple(all, 'batch');
  t.equal(back.length, 3);
  t.same(back.slice(0, 2), [1, 'a']);
  t.ok((back[2] as { f: Float32Array }).f instanceof Float32Array);
  t.throws(() => decodeMultiple(all.subarray(0, all.length - 2), 'batch'), DecodeError);
});

t.test('a __proto__ key cannot pollute prototypes', async (t) => {
  const evil = decode(encode(JSON.parse('{"__proto__":{"polluted":true}}')), 'evil') as Record<string, unknown>;
  t.equal(({} as Record<string, unknown>).polluted, undefined);
  t.equal(Object.getPrototypeOf(evil), Object.prototype);
});
