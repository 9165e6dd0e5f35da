import t from 'tap';
import {
  encodeCommand, MAX_BULK_BYTES, MAX_DEPTH, RespParser, type RespResult,
} from '../../../../actors/shared/cache/redis/resp.js';
import { drain as drainReplies, feedInSteps, fuzzReplyParser } from './reply-parser-harness.js';

const isProtocolError = (r: RespResult): boolean => r.type === 'protocol_error';
const drain = (p: RespParser): RespResult[] => drainReplies(p, isProtocolError);

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

t.test('commands are arrays of binary-safe bulk strings', async (t) => {
  t.equal(encodeCommand(['GET', 'k']).toString('latin1'), '*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
  const v = Uint8Array.of(0, 13, 10, 255);
  t.same([...encodeCommand(['SET', 'k', v])], [...bytes('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n'), 0, 13, 10, 255, 13, 10]);
  t.equal(encodeCommand(['SET', 'e', new Uint8Array(0)]).toString('latin1'), '*3\r\n$3\r\nSET\r\n$1\r\ne\r\n$0\r\n\r\n');
  const sub = Uint8Array.of(9, 1, 2, 3, 9).subarray(1, 4);
  t.equal(encodeCommand([sub]).toString('latin1'), '*1\r\n$3\r\n\x01\x02\x03\r\n', 'a view is sent as its own bytes only');
});

t.test('every reply type, pipelined, parses byte by byte and in one piece', async (t) => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const wire = Buffer.concat([
    bytes('+OK\r\n-ERR wrong number of arguments\r\n:42\r\n:-7\r\n$-1\r\n*-1\r\n*0\r\n$0\r\n\r\n'),
    bytes('$256\r\n'), all, bytes('\r\n'),
    bytes('*3\r\n$2\r\n\r\n\r\n$-1\r\n*2\r\n:1\r\n*1\r\n+x\r\n'),
    bytes('+tail\r\n'),
  ]);
  for (const step of [1, 2, 7, wire.length]) {
    const p = new RespParser();
    const got = feedInSteps(p, wire, step, isProtocolError);
    t.equal(got.length, 11, `step ${step}`);
    t.same(got.slice(0, 8), [
      { type: 'simple', value: 'OK' }, { type: 'error', message: 'ERR wrong number of arguments' },
      { type: 'integer', value: 42 }, { type: 'integer', value: -7 }, { type: 'bulk', value: null },
      { type: 'array', items: null }, { type: 'array', items: [] }, { type: 'bulk', value: new Uint8Array(0) },
    ]);
    t.same([...(got[8] as { value: Uint8Array }).value], [...all]);
    t.same(got[9], {
      type: 'array',
      items: [
        { type: 'bulk', value: new Uint8Array(bytes('\r\n')) }, { type: 'bulk', value: null },
        { type: 'array', items: [{ type: 'integer', value: 1 }, { type: 'array', items: [{ type: 'simple', value: 'x' }] }] },
      ],
    });
    t.same(got[10], { type: 'simple', value: 'tail' });
    t.equal(p.buffered, 0);
    t.equal(p.midReply, false);
  }
});

t.test('a truncated reply needs more bytes and keeps its state', async (t) => {
  const p = new RespParser();
  p.push(bytes('*2\r\n$3\r\nab'));
  t.equal(p.next(), undefined);
  t.equal(p.midReply, true);
  p.push(bytes('c\r\n'));
  t.equal(p.next(), undefined, 'second element missing');
  p.push(bytes('$-1\r\n'));
  t.same(p.next(), { type: 'array', items: [{ type: 'bulk', value: new Uint8Array(bytes('abc')) }, { type: 'bulk', value: null }] });
});

t.test('bulk values are fresh copies', async (t) => {
  const chunk = bytes('$3\r\nabc\r\n');
  const p = new RespParser();
  p.push(chunk);
  const r = p.next() as { value: Uint8Array };
  chunk.fill(0);
  t.equal(Buffer.from(r.value).toString('latin1'), 'abc');
});

t.test('broken streams are protocol errors and the parser stays failed', async (t) => {
  const cases = [
    'OK\r\n', '+OK\n', ':12a\r\n', ':\r\n', '$abc\r\n', '$-2\r\n', '$3\r\nabcd\r\n', `$${MAX_BULK_BYTES + 1}\r\n`,
    '*-2\r\n', `*${2 ** 25}\r\n`, '*1\r\n!\r\n', '*'.repeat(1) + '1\r\n'.repeat(1) + '*1\r\n'.repeat(MAX_DEPTH + 1),
    '+' + 'x'.repeat(70_000), '\r\n', '$99999999999\r\n',
  ];
  for (const c of cases) {
    const p = new RespParser();
    p.push(bytes(c));
    const r = drain(p);
    t.equal(r[r.length - 1]?.type, 'protocol_error', JSON.stringify(c.slice(0, 40)));
    p.push(bytes('+OK\r\n'));
    t.equal(p.next()?.type, 'protocol_error', 'sticky');
    t.equal(p.buffered, 0, 'buffer released');
    t.equal(p.midReply, false);
  }
});

t.test('fuzz: random and mutated replies end in replies, a protocol error or "need more", with bounded buffers', async (t) => {
  const { errors, clean } = fuzzReplyParser(t, {
    iterations: 4000, parser: () => new RespParser(), isProtocolError,
    valid: bytes('*3\r\n$5\r\nab\r\nc\r\n$-1\r\n$0\r\n\r\n+OK\r\n-ERR x\r\n:12\r\n*2\r\n*1\r\n:3\r\n$2\r\nhi\r\n*-1\r\n'),
    randomByte: (rand) => {
      const alphabet = '*$:+-\r\n0123456789';
      return rand() < 0.5 ? alphabet.charCodeAt(Math.floor(rand() * alphabet.length)) : Math.floor(rand() * 256);
    },
  });
  t.ok(errors > 100, `many inputs are protocol errors (${errors})`);
  t.ok(clean > 10, `some inputs parse or wait for more (${clean})`);
});
