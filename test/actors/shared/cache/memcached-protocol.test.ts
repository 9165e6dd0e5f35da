import t from 'tap';
import {
  encodeDelete, encodeGet, encodeSet, exptimeFor, MAX_VALUE_BYTES, ReplyParser, type MemcachedReply,
} from '../../../../actors/shared/cache/memcached/protocol.js';
import { drain as drainReplies, feedInSteps, fuzzReplyParser } from './reply-parser-harness.js';

const isProtocolError = (r: MemcachedReply): boolean => r.kind === 'protocol_error';
const drain = (p: ReplyParser): MemcachedReply[] => drainReplies(p, isProtocolError);

t.test('requests are encoded as the text protocol', async (t) => {
  t.equal(encodeGet(['a', 'b:c']).toString('latin1'), 'get a b:c\r\n');
  t.equal(encodeDelete('k').toString('latin1'), 'delete k\r\n');
  const set = encodeSet('k', Uint8Array.of(0, 13, 10, 255), 60);
  t.same([...set], [...Buffer.from('set k 0 60 4\r\n', 'latin1'), 0, 13, 10, 255, 13, 10]);
  t.equal(encodeSet('e', new Uint8Array(0), 1).toString('latin1'), 'set e 0 1 0\r\n\r\n');
});

t.test('exptime: seconds rounded up; beyond 30 days an absolute unix time', async (t) => {
  t.equal(exptimeFor(1, 0), 1);
  t.equal(exptimeFor(1000, 0), 1);
  t.equal(exptimeFor(1001, 0), 2);
  t.equal(exptimeFor(30 * 86400_000, 5_000_000), 30 * 86400, '30 days exactly stays relative');
  t.equal(exptimeFor(30 * 86400_000 + 1, 1_700_000_000_500), 1_700_000_000 + 30 * 86400 + 1);
});

t.test('a get reply with binary values (CRLF inside, empty) parses byte by byte and in one piece', async (t) => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const wire = Buffer.concat([
    Buffer.from('VALUE a 0 256\r\n'), all, Buffer.from('\r\n'),
    Buffer.from('VALUE b 7 4 99\r\n\r\nEN\r\n'),
    Buffer.from('VALUE c 0 0\r\n\r\nEND\r\n'),
  ]);
  for (const step of [1, 3, wire.length]) {
    const p = new ReplyParser();
    const got = feedInSteps(p, wire, step, isProtocolError);
    t.equal(got.length, 4, `step ${step}`);
    t.match(got[0], { kind: 'value', key: 'a', flags: 0 });
    t.same([...(got[0] as { value: Uint8Array }).value], [...all]);
    t.match(got[1], { kind: 'value', key: 'b', flags: 7 });
    t.equal(Buffer.from((got[1] as { value: Uint8Array }).value).toString('latin1'), '\r\nEN');
    t.equal((got[2] as { value: Uint8Array }).value.length, 0);
    t.same(got[3], { kind: 'end' });
    t.equal(p.buffered, 0);
    t.equal(p.midReply, false);
  }
});

t.test('status replies and errors', async (t) => {
  const p = new ReplyParser();
  p.push(Buffer.from('STORED\r\nNOT_STORED\r\nDELETED\r\nNOT_FOUND\r\nERROR\r\nCLIENT_ERROR bad data chunk\r\nSERVER_ERROR out of memory\r\n'));
  t.same(drain(p), [
    { kind: 'stored' }, { kind: 'not_stored' }, { kind: 'deleted' }, { kind: 'not_found' }, { kind: 'error' },
    { kind: 'client_error', message: 'bad data chunk' }, { kind: 'server_error', message: 'out of memory' },
  ]);
  t.equal(p.next(), undefined, 'needs more bytes');
});

t.test('broken streams are protocol errors and the parser stays failed', async (t) => {
  const cases = [
    'HELLO\r\n', 'END\n', 'VALUE k x 1\r\na\r\n', 'VALUE k 0 1\r\nab\r\n', `VALUE k 0 ${MAX_VALUE_BYTES + 1}\r\n`,
    'VALUE k 99999999999 1\r\n', 'x'.repeat(9000),
  ];
  for (const c of cases) {
    const p = new ReplyParser();
    p.push(Buffer.from(c, 'latin1'));
    const r = p.next();
    t.equal(r?.kind, 'protocol_error', JSON.stringify(c.slice(0, 40)));
    p.push(Buffer.from('END\r\n'));
    t.equal(p.next()?.kind, 'protocol_error', 'sticky');
    t.equal(p.buffered, 0, 'buffer released');
  }
  const p = new ReplyParser();
  p.push(Buffer.from('VALUE k 0 10\r\nabc'));
  t.equal(p.next(), undefined, 'a truncated value needs more bytes');
});

t.test('fuzz: random and mutated replies end in replies, a protocol error or "need more", with bounded buffers', async (t) => {
  const { errors, clean } = fuzzReplyParser(t, {
    iterations: 3000, parser: () => new ReplyParser(), isProtocolError,
    valid: Buffer.concat([
    Buffer.from('VALUE key1 0 5\r\nab\r\nc\r\nVALUE k2 3 0\r\n\r\nEND\r\nSTORED\r\nDELETED\r\nNOT_FOUND\r\nSERVER_ERROR x\r\n'),
  ]),
  });
  t.ok(errors > 100, `many inputs are protocol errors (${errors})`);
  t.ok(clean > 10, `some inputs parse or wait for more (${clean})`);
});
