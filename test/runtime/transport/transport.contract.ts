import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import { RemoteError } from '../../../runtime/errors/coded-error.js';
import {
  CancelledError, ClosedError, ConfigError, MailboxFullError, NoRespondersError, PayloadTooLargeError, StreamStalledError, TimeoutError,
} from '../../../runtime/errors/runtime-errors.js';
import type { StreamWriter, Subject, Transport } from '../../../runtime/transport/transport.js';
import { defineDomainError } from '../../../actors/shared/errors/domain-error.js';
import { DEFAULT_STREAM_FRAME_BYTES } from '../../../runtime/transport/bus-transport.js';
import { NatsTransport } from '../../../runtime/transport/nats-transport.js';
import { startNats, type NatsServer } from '../../harness/nats.js';

const CorruptTestError = defineDomainError('TEST_TRANSPORT_CORRUPT', false);

/** A promise with its resolve exposed, to await events instead of sleeping. */
/**
 * A private nats-server for one test file, torn down with it, and a connector for named
 * NatsTransports on it (each drained at teardown unless closed by the test).
 */
export async function natsForFile(t: Test): Promise<{ srv: NatsServer; connect: (name: string) => Promise<NatsTransport> }> {
  const srv = await startNats();
  t.teardown(() => srv.stop());
  const connect = async (name: string): Promise<NatsTransport> => {
    const tr = await NatsTransport.connect({ servers: [srv.url], name });
    t.teardown(() => (tr.closed ? undefined : tr.drain()));
    return tr;
  };
  return { srv, connect };
}

export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

function unique(t: Test): (s: string) => Subject {
  const p = `c${randomBytes(4).toString('hex')}`;
  void t;
  return (s: string) => `${p}.${s}` as Subject;
}

/**
 * The Transport contract. `make` returns a new connection to one shared server each call;
 * connections are drained at the end of each test.
 */
export function describeTransport(t: Test, name: string, make: () => Promise<Transport>): void {
  const open = async (tt: Test, n = 2): Promise<Transport[]> => {
    const ts: Transport[] = [];
    for (let i = 0; i < n; i++) ts.push(await make());
    tt.teardown(() => Promise.all(ts.map((x) => x.drain())).then(() => undefined));
    return ts;
  };

  t.test(`${name}: publish/subscribe delivers plain data in order, asynchronously`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const got: unknown[] = [];
    const all = deferred();
    b!.subscribe(s('x'), (m) => { got.push(m.data); if (got.length === 50) all.resolve(); });
    await roundTrip(a!, b!, s);
    let syncCalled = false;
    const local = a!.subscribe(s('self'), () => { syncCalled = true; });
    a!.publish(s('self'), 1);
    t.notOk(syncCalled, 'handler not called inside publish');
    await local.unsubscribe();
    for (let i = 0; i < 50; i++) a!.publish(s('x'), { i, f: new Float64Array([i, 0.5]), big: 2n ** 60n });
    await all.promise;
    t.same(got.map((g) => (g as { i: number }).i), [...Array(50).keys()]);
    const first = got[0] as { f: Float64Array; big: bigint };
    t.ok(first.f instanceof Float64Array, 'typed arrays survive');
    t.equal(first.big, 2n ** 60n);
  });

  t.test(`${name}: wildcards * and >`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const star: string[] = [];
    const tail: string[] = [];
    b!.subscribe(s('a.*'), (m) => star.push(m.subject));
    b!.subscribe(s('a.>'), (m) => tail.push(m.subject));
    await roundTrip(a!, b!, s);
    for (const x of ['a.b', 'a.b.c', 'a', 'x.b']) a!.publish(s(x), x);
    await roundTrip(a!, b!, s);
    t.same(star, [s('a.b')]);
    t.same(tail, [s('a.b'), s('a.b.c')]);
  });

  t.test(`${name}: a queue group gives each message to exactly one member`, async (t) => {
    const [a, b, c] = await open(t, 3);
    const s = unique(t);
    const seen = new Map<number, number>();
    const perMember = [0, 0, 0];
    const plain: number[] = [];
    [b, c, b].forEach((tr, k) => tr!.subscribe(s('q'), (m) => {
      const i = m.data as number;
      seen.set(i, (seen.get(i) ?? 0) + 1);
      perMember[k]!++;
    }, { queue: 'workers' }));
    c!.subscribe(s('q'), (m) => plain.push(m.data as number));
    await roundTrip(a!, b!, s);
    await roundTrip(a!, c!, s);
    for (let i = 0; i < 90; i++) a!.publish(s('q'), i);
    await roundTrip(a!, b!, s);
    await roundTrip(a!, c!, s);
    t.equal(plain.length, 90, 'a plain subscriber gets every message');
    t.equal(seen.size, 90, 'every message reached the group');
    t.ok([...seen.values()].every((n) => n === 1), 'no message reached two members');
    t.equal(perMember.reduce((x, y) => x + y, 0), 90);
  });

  t.test(`${name}: request/reply carries the deadline and the reply`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    b!.handle(s('echo'), async (req, ctx) => ({ req, subject: ctx.subject, deadlineMs: ctx.deadlineMs }));
    await b!.flush();
    const before = Date.now();
    const r = await a!.request(s('echo'), { hello: new Uint8Array([1, 2]) }, { timeoutMs: 5000 }) as Record<string, unknown>;
    t.same(r.req, { hello: new Uint8Array([1, 2]) });
    t.equal(r.subject, s('echo'));
    t.ok((r.deadlineMs as number) >= before + 5000 && (r.deadlineMs as number) <= Date.now() + 5000, 'deadline travels');
  });

  t.test(`${name}: request times out and the handler's signal aborts at the deadline`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const aborted = deferred<unknown>();
    b!.handle(s('slow'), (_req, ctx) => new Promise((resolve) => {
      ctx.signal.addEventListener('abort', () => { aborted.resolve(ctx.signal.reason); resolve('late'); });
    }));
    await b!.flush();
    await t.rejects(a!.request(s('slow'), 1, { timeoutMs: 150 }), TimeoutError);
    t.ok(await aborted.promise instanceof CancelledError, 'handler signal aborted');
  });

  t.test(`${name}: no responders fails at once`, async (t) => {
    const [a] = await open(t, 1);
    const s = unique(t);
    // A 60s timeout would fail the test file: the error must come from "no responders".
    await t.rejects(a!.request(s('nobody'), 1, { timeoutMs: 60_000 }), NoRespondersError);
    const it = a!.requestStream(s('nobody'), 1, { timeoutMs: 60_000 })[Symbol.asyncIterator]();
    await t.rejects(it.next(), NoRespondersError);
  });

  t.test(`${name}: errors travel back with class, code, data and retryable`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    b!.handle(s('full'), async () => { throw new MailboxFullError('enqueueing to actor store/1', { data: { capacity: 3 } }); });
    b!.handle(s('plain'), async () => { throw new Error('boom'); });
    b!.handle(s('domain'), async () => { throw new CorruptTestError('reading index of block 01X at offset 42', { data: { offset: 42 } }); });
    await b!.flush();
    const err = await a!.request(s('full'), 1, { timeoutMs: 5000 }).catch((e: unknown) => e);
    t.ok(err instanceof MailboxFullError);
    const me = err as InstanceType<typeof MailboxFullError>;
    t.equal(me.code, 'RT_MAILBOX_FULL');
    t.equal(me.retryable, true);
    t.same(me.data, { capacity: 3 });
    const plain = await a!.request(s('plain'), 1, { timeoutMs: 5000 }).catch((e: unknown) => e);
    t.ok(plain instanceof RemoteError);
    t.equal((plain as RemoteError).code, 'INTERNAL');
    t.equal((plain as RemoteError).message, 'boom');
    const dom = await a!.request(s('domain'), 1, { timeoutMs: 5000 }).catch((e: unknown) => e);
    t.ok(dom instanceof CorruptTestError, 'domain errors keep their class');
    t.equal((dom as InstanceType<typeof CorruptTestError>).code, 'TEST_TRANSPORT_CORRUPT');
    t.equal((dom as Error).message, 'reading index of block 01X at offset 42');
  });

  t.test(`${name}: a request is cancelled by its signal`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const started = deferred();
    b!.handle(s('wait'), (_r, ctx) => new Promise((resolve) => { started.resolve(); ctx.signal.addEventListener('abort', () => resolve(0)); }));
    await b!.flush();
    const ac = new AbortController();
    const p = a!.request(s('wait'), 1, { timeoutMs: 500, signal: ac.signal });
    await started.promise;
    ac.abort();
    await t.rejects(p, CancelledError);
    const pre = new AbortController();
    pre.abort();
    await t.rejects(a!.request(s('wait'), 1, { timeoutMs: 500, signal: pre.signal }), CancelledError);
  });

  t.test(`${name}: oversized messages are refused`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const big = new Uint8Array(a!.maxPayloadBytes + 1);
    t.throws(() => a!.publish(s('big'), big), PayloadTooLargeError);
    b!.handle(s('bigreply'), async () => new Uint8Array(b!.maxPayloadBytes + 10));
    await b!.flush();
    await t.rejects(a!.request(s('bigreply'), big, { timeoutMs: 5000 }), PayloadTooLargeError);
    await t.rejects(a!.request(s('bigreply'), 1, { timeoutMs: 5000 }), PayloadTooLargeError, 'reply too large comes back as an error');
    a!.publish(s('fits'), new Uint8Array(a!.maxPayloadBytes - 64));
  });

  describeStreams(t, name, open);

  t.test(`${name}: drain lets in-flight handlers finish, then refuses work`, async (t) => {
    const a = await make();
    const [b] = await open(t, 1);
    const s = unique(t);
    const started = deferred();
    const release = deferred();
    a.handle(s('work'), async () => { started.resolve(); await release.promise; return 'done'; });
    await a.flush();
    const p = b!.request(s('work'), 1, { timeoutMs: 5000 });
    await started.promise;
    const drained = a.drain();
    release.resolve();
    t.equal(await p, 'done');
    await drained;
    t.throws(() => a.publish(s('x'), 1), ClosedError);
    await t.rejects(a.request(s('x'), 1, { timeoutMs: 100 }), ClosedError);
  });

  t.test(`${name}: drain waits for an in-flight stream to finish`, async (t) => {
    const a = await make();
    const [b] = await open(t, 1);
    const s = unique(t);
    const started = deferred();
    a.handleStream(s('drain'), async (_r, out) => { for (let i = 0; i < 50; i++) { await out.write(i); if (i === 0) started.resolve(); } });
    await a.flush();
    const it = b!.requestStream(s('drain'), 0, { timeoutMs: 5000, window: 2 })[Symbol.asyncIterator]();
    const got: unknown[] = [(await it.next()).value];
    await started.promise;
    const drained = a.drain();
    for (;;) { const n = await it.next(); if (n.done) break; got.push(n.value); }
    await drained;
    t.same(got, [...Array(50).keys()], 'every value arrived, then the end');
    await t.rejects(b!.request(s('drain'), 1, { timeoutMs: 5000 }), NoRespondersError, 'the drained handler is gone');
  });
}

/** Waits until everything `a` published before now has reached `b` (same-publisher order). */
async function roundTrip(a: Transport, b: Transport, s: (x: string) => Subject): Promise<void> {
  const got = deferred();
  const subject = s(`barrier.${randomBytes(4).toString('hex')}`);
  const sub = b.subscribe(subject, () => got.resolve());
  await b.flush();
  a.publish(subject, 0);
  await got.promise;
  await sub.unsubscribe();
}

function describeStreams(t: Test, name: string, open: (t: Test, n?: number) => Promise<Transport[]>): void {
  t.test(`${name}: a stream yields values in order, then ends`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const maxBuffered = { n: 0 };
    b!.handleStream(s('count'), async (req, out) => {
      const n = req as number;
      for (let i = 0; i < n; i++) { await out.write({ i, pad: new Uint8Array(10_000) }); maxBuffered.n = Math.max(maxBuffered.n, out.bufferedBytes); }
    });
    await b!.flush();
    const got: number[] = [];
    for await (const v of a!.requestStream(s('count'), 300, { timeoutMs: 5000, window: 4 })) got.push((v as { i: number }).i);
    t.same(got, [...Array(300).keys()]);
    // Values are batched into frames of up to 256 KiB: a window of frames plus the batch being filled.
    t.ok(maxBuffered.n <= 5 * DEFAULT_STREAM_FRAME_BYTES, `producer buffered at most a window (${maxBuffered.n} bytes)`);
    const empty: unknown[] = [];
    for await (const v of a!.requestStream(s('count'), 0, { timeoutMs: 5000 })) empty.push(v);
    t.same(empty, []);
  });

  t.test(`${name}: a producer error arrives after the values before it, as its class`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    b!.handleStream(s('fail'), async (_req, out) => {
      await out.write(1); await out.write(2);
      throw new ConfigError('reading block 01X: bad meta', { data: { block: '01X' } });
    });
    await b!.flush();
    const got: unknown[] = [];
    const err = await (async () => { for await (const v of a!.requestStream(s('fail'), 0, { timeoutMs: 5000 })) got.push(v); })().catch((e: unknown) => e);
    t.same(got, [1, 2]);
    t.ok(err instanceof ConfigError);
    t.same((err as InstanceType<typeof ConfigError>).data, { block: '01X' });
  });

  t.test(`${name}: a producer that aborts ends the stream with CancelledError`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    b!.handleStream(s('abort'), async (_req, out) => {
      await out.write('x');
      throw new CancelledError('serving stream: shutting down');
    });
    await b!.flush();
    const got: unknown[] = [];
    const err = await (async () => { for await (const v of a!.requestStream(s('abort'), 0, { timeoutMs: 5000 })) got.push(v); })().catch((e: unknown) => e);
    t.same(got, ['x']);
    t.ok(err instanceof CancelledError);
    t.equal((err as Error).message, 'serving stream: shutting down');
  });

  t.test(`${name}: a value larger than max payload is split and reassembled`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const big = new Float64Array(3_000_000 / 8).map((_, i) => i * 1.5);
    b!.handleStream(s('big'), async (_req, out) => { await out.write('before'); await out.write({ big }); await out.write('after'); });
    await b!.flush();
    const got: unknown[] = [];
    for await (const v of a!.requestStream(s('big'), 0, { timeoutMs: 10_000, window: 2 })) got.push(v);
    t.equal(got.length, 3);
    t.equal(got[0], 'before');
    const back = (got[1] as { big: Float64Array }).big;
    t.ok(back instanceof Float64Array && back.length === big.length && back.every((x, i) => x === big[i]), '3 MB value intact');
    t.equal(got[2], 'after');
  });

  t.test(`${name}: breaking out of the loop cancels the producer`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const stopped = deferred<unknown>();
    b!.handleStream(s('inf'), async (_req, out) => {
      try { for (let i = 0; ; i++) await out.write(i); } catch (err) { stopped.resolve(err); throw err; }
    });
    await b!.flush();
    for await (const v of a!.requestStream(s('inf'), 0, { timeoutMs: 5000, window: 4 })) if ((v as number) >= 10) break;
    t.ok(await stopped.promise instanceof CancelledError, 'producer write rejected with CancelledError');
  });

  t.test(`${name}: aborting the consumer's signal cancels the stream`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const stopped = deferred<boolean>();
    b!.handleStream(s('inf'), async (_req, out) => {
      out.signal.addEventListener('abort', () => stopped.resolve(out.signal.reason instanceof CancelledError));
      for (let i = 0; ; i++) await out.write(i);
    });
    await b!.flush();
    const ac = new AbortController();
    const err = await (async () => {
      for await (const v of a!.requestStream(s('inf'), 0, { timeoutMs: 5000, signal: ac.signal })) if (v === 5) ac.abort();
    })().catch((e: unknown) => e);
    t.ok(err instanceof CancelledError);
    t.ok(await stopped.promise, 'producer signal aborted with CancelledError');
  });

  t.test(`${name}: a producer without credit stalls and frees itself`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const stalled = deferred<{ err: unknown; aborted: boolean }>();
    let writer: StreamWriter | undefined;
    b!.handleStream(s('stall'), async (_req, out) => {
      writer = out;
      try { for (let i = 0; ; i++) await out.write(i); } catch (err) { stalled.resolve({ err, aborted: out.signal.aborted }); throw err; }
    });
    await b!.flush();
    const it = a!.requestStream(s('stall'), 0, { timeoutMs: 5000, window: 2, stallTimeoutMs: 200 })[Symbol.asyncIterator]();
    t.same(await it.next(), { done: false, value: 0 });
    // The consumer stops reading: no credit flows, the producer gives up within the stall timeout.
    const r = await stalled.promise;
    t.ok(r.err instanceof StreamStalledError, 'write rejected with StreamStalledError');
    t.ok(r.aborted, 'writer.signal aborted');
    t.ok(writer !== undefined && writer.bufferedBytes <= 3 * DEFAULT_STREAM_FRAME_BYTES, `bounded buffer (${writer?.bufferedBytes})`);
    // The consumer sees what was buffered, then the producer's stall as an error frame.
    const rest: unknown[] = [];
    const err = await (async () => { for (;;) { const n = await it.next(); if (n.done) return undefined; rest.push(n.value); } })().catch((e: unknown) => e);
    t.ok(err instanceof StreamStalledError, 'consumer learns the producer stalled');
  });

  t.test(`${name}: a consumer gives up when no frame comes within the stall timeout`, async (t) => {
    const [a, b] = await open(t);
    const s = unique(t);
    const gone = deferred<unknown>();
    b!.handleStream(s('quiet'), async (_req, out) => {
      await out.write('one');
      await new Promise<void>((resolve) => out.signal.addEventListener('abort', () => { gone.resolve(out.signal.reason); resolve(); }));
    });
    await b!.flush();
    const got: unknown[] = [];
    const err = await (async () => {
      for await (const v of a!.requestStream(s('quiet'), 0, { timeoutMs: 5000, stallTimeoutMs: 150 })) got.push(v);
    })().catch((e: unknown) => e);
    t.same(got, ['one']);
    t.ok(err instanceof TimeoutError);
    t.ok(await gone.promise instanceof CancelledError, 'the consumer told the producer');
  });

  t.test(`${name}: a stream to a queue group is served by one member`, async (t) => {
    const [a, b, c] = await open(t, 3);
    const s = unique(t);
    let served = 0;
    for (const tr of [b!, c!]) tr.handleStream(s('q'), async (_r, out) => { served++; await out.write('x'); }, { queue: 'g' });
    await b!.flush();
    await c!.flush();
    for (let k = 0; k < 6; k++) {
      const got: unknown[] = [];
      for await (const v of a!.requestStream(s('q'), 0, { timeoutMs: 5000 })) got.push(v);
      t.same(got, ['x']);
    }
    t.equal(served, 6);
  });
}
