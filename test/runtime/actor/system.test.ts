import t from 'tap';
import type { Actor, ActorRef, StopReason } from '../../../runtime/actor/actor.js';
import { ActorSystem, type ActorEvent } from '../../../runtime/actor/system.js';
import { FakeClock, flushMicrotasks } from '../../../runtime/clock.js';
import { CancelledError, ClosedError, ConfigError, MailboxFullError, RestartBudgetExceededError, TimeoutError } from '../../../runtime/errors/runtime-errors.js';
import { createRegistry } from '../../../runtime/metrics/registry.js';

type Msg =
  | { kind: 'add'; n: number }
  | { kind: 'get'; replyTo: ActorRef<number> }
  | { kind: 'fail'; retryable: boolean }
  | { kind: 'hold'; release: Promise<void> };

/** A counter actor; `log` records lifecycle calls across instances. */
function counter(log: string[]): () => Actor<Msg> {
  let instance = 0;
  return () => {
    const id = ++instance;
    let total = 0;
    return {
      async started() { log.push(`started#${id}`); },
      async receive(msg, ctx) {
        switch (msg.kind) {
          case 'add': total += msg.n; break;
          case 'get': ctx.tell(msg.replyTo, total); break;
          case 'fail': throw msg.retryable ? new TimeoutError('doing flaky work') : new ConfigError('doing fatal work');
          case 'hold': await msg.release; break;
        }
      },
      async stopped(reason: StopReason) { log.push(`stopped#${id}:${reason.kind}`); },
    };
  };
}

function events(sys: ActorSystem): ActorEvent[] {
  const seen: ActorEvent[] = [];
  sys.on((e) => seen.push(e));
  return seen;
}

function nextEvent(sys: ActorSystem, type: ActorEvent['type']): Promise<ActorEvent> {
  return new Promise((resolve) => { const off = sys.on((e) => { if (e.type === type) { off(); resolve(e); } }); });
}

t.test('actor - handles messages one at a time in order and answers ask', async (t) => {
  const sys = new ActorSystem({ clock: new FakeClock() });
  const log: string[] = [];
  const ref = sys.spawn<Msg>('counter', counter(log));
  for (let i = 1; i <= 10; i++) sys.tell(ref, { kind: 'add', n: i });
  const total = await sys.ask<Msg, number>(ref, (replyTo) => ({ kind: 'get', replyTo }), { timeoutMs: 1000 });
  t.equal(total, 55);
  await sys.stopAll();
  t.same(log, ['started#1', 'stopped#1:stopped']);
  t.throws(() => sys.tell(ref, { kind: 'add', n: 1 }), ClosedError);
  t.throws(() => sys.spawn('x', counter([])), ClosedError);
});

t.test('actor - never runs two receives of one actor concurrently', async (t) => {
  const sys = new ActorSystem({ clock: new FakeClock() });
  let active = 0;
  let maxActive = 0;
  let handled = 0;
  const ref = sys.spawn<{ kind: 'work' }>('serial', () => ({
    async receive() { active++; maxActive = Math.max(maxActive, active); await flushMicrotasks(); active--; handled++; },
  }));
  for (let i = 0; i < 20; i++) sys.tell(ref, { kind: 'work' });
  while (handled < 20) await flushMicrotasks();
  t.equal(maxActive, 1);
  await sys.stopAll();
});

t.test('actor - tell throws MailboxFullError when the reject mailbox is full', async (t) => {
  const sys = new ActorSystem({ clock: new FakeClock() });
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const ref = sys.spawn<Msg>('busy', counter([]), { mailbox: { capacity: 2, overflow: 'reject' } });
  sys.tell(ref, { kind: 'hold', release: gate });
  await flushMicrotasks();
  sys.tell(ref, { kind: 'add', n: 1 });
  sys.tell(ref, { kind: 'add', n: 2 });
  t.throws(() => sys.tell(ref, { kind: 'add', n: 3 }), MailboxFullError);
  release();
  await flushMicrotasks();
  t.equal(await sys.ask<Msg, number>(ref, (replyTo) => ({ kind: 'get', replyTo }), { timeoutMs: 10 }), 3);
  await sys.stopAll();
});

t.test('ask - rejects with TimeoutError when no reply comes, and with CancelledError on abort', async (t) => {
  const clock = new FakeClock();
  const sys = new ActorSystem({ clock });
  const ref = sys.spawn<{ kind: 'ignore'; replyTo: ActorRef<string> }>('mute', () => ({ async receive() { /* never replies */ } }));
  const p = sys.ask<{ kind: 'ignore'; replyTo: ActorRef<string> }, string>(ref, (replyTo) => ({ kind: 'ignore', replyTo }), { timeoutMs: 500 });
  clock.advance(499);
  let settled = false;
  p.then(() => { settled = true; }, () => { settled = true; });
  await flushMicrotasks();
  t.equal(settled, false, 'still waiting before the deadline');
  clock.advance(1);
  const err = await p.catch((e: unknown) => e);
  t.ok(err instanceof TimeoutError);
  t.match((err as Error).message, /asking actor mute: no reply within 500ms/);
  t.equal(clock.pending, 0, 'the timer is gone');

  const ac = new AbortController();
  const q = sys.ask<{ kind: 'ignore'; replyTo: ActorRef<string> }, string>(ref, (replyTo) => ({ kind: 'ignore', replyTo }), { timeoutMs: 500, signal: ac.signal });
  ac.abort();
  await t.rejects(q, CancelledError);
  t.equal(clock.pending, 0);
  await t.rejects(sys.ask<{ kind: 'ignore'; replyTo: ActorRef<string> }, string>(ref, (replyTo) => ({ kind: 'ignore' as const, replyTo }), { timeoutMs: 5, signal: ac.signal }), CancelledError);
  await t.rejects(sys.ask<{ kind: string }, string>({ path: 'nobody' }, () => ({ kind: 'x' }), { timeoutMs: 5 }), ClosedError);
  await sys.stopAll();
});

t.test('supervisor - restarts a failing actor after exponential backoff with fresh state', async (t) => {
  const clock = new FakeClock();
  const registry = createRegistry({ defaultMetrics: false });
  const sys = new ActorSystem({ clock, registry, random: () => 0 });
  const log: string[] = [];
  const seen = events(sys);
  const strategy = { maxRestarts: 5, windowMs: 60_000, backoff: { initialMs: 100, maxMs: 1000, jitter: 0.2 }, decide: (e: unknown) => e instanceof TimeoutError ? 'restart' as const : 'stop' as const };
  const ref = sys.spawn<Msg>('flaky', counter(log), { strategy });
  sys.tell(ref, { kind: 'add', n: 5 });
  sys.tell(ref, { kind: 'fail', retryable: true });
  sys.tell(ref, { kind: 'add', n: 1 });
  await clock.whenPending(1);
  t.equal(clock.nextDue(), clock.now() + 100, 'first restart waits initialMs');
  t.same(log, ['started#1', 'stopped#1:restarting']);
  await clock.tick(100);
  t.equal(await sys.ask<Msg, number>(ref, (replyTo) => ({ kind: 'get', replyTo }), { timeoutMs: 10 }), 1, 'state reset; queued message kept');

  sys.tell(ref, { kind: 'fail', retryable: true });
  await clock.whenPending(1);
  t.equal(clock.nextDue(), clock.now() + 200, 'second restart waits twice as long');
  await clock.tick(200);
  t.same(seen.filter((e) => e.type === 'restarting').map((e) => e.type === 'restarting' && [e.attempt, e.delayMs]), [[0, 100], [1, 200]]);
  t.same(log, ['started#1', 'stopped#1:restarting', 'started#2', 'stopped#2:restarting', 'started#3']);
  t.match(await registry.metrics(), /athanor_actor_restarts_total\{actor="flaky"\} 2/);
  t.match(await registry.metrics(), /athanor_actor_messages_total\{actor="flaky",outcome="error"\} 2/);

  sys.tell(ref, { kind: 'fail', retryable: false });
  const reason = await sys.whenStopped(ref);
  t.equal(reason.kind, 'failed');
  t.ok(reason.kind === 'failed' && reason.error instanceof ConfigError, 'non-retryable error stops the actor');
  t.same(log.at(-1), 'stopped#3:failed');
});

t.test('supervisor - exceeding the restart budget stops the actor with RestartBudgetExceededError', async (t) => {
  const clock = new FakeClock();
  const sys = new ActorSystem({ clock, random: () => 0 });
  const log: string[] = [];
  const seen = events(sys);
  const strategy = { maxRestarts: 2, windowMs: 10_000, backoff: { initialMs: 10, maxMs: 100, jitter: 0 }, decide: () => 'restart' as const };
  const ref = sys.spawn<Msg>('doomed', counter(log), { strategy, critical: true });
  const ac = new AbortController();
  const running = sys.run(ac.signal);
  const exceeded = nextEvent(sys, 'budget-exceeded');
  for (let i = 0; i < 3; i++) {
    sys.tell(ref, { kind: 'fail', retryable: true });
    if (i < 2) { await clock.whenPending(1); await clock.tick(100); }
  }
  const e = await exceeded;
  t.ok(e.type === 'budget-exceeded' && e.error instanceof RestartBudgetExceededError);
  t.ok(e.type === 'budget-exceeded' && e.error.cause instanceof TimeoutError, 'cause is the last failure');
  const reason = await sys.whenStopped(ref);
  t.ok(reason.kind === 'failed' && reason.error instanceof RestartBudgetExceededError);
  await t.rejects(running, RestartBudgetExceededError, 'a critical actor failing fails the system member');
  t.same(log, ['started#1', 'stopped#1:restarting', 'started#2', 'stopped#2:restarting', 'started#3', 'stopped#3:failed']);
  t.same(seen.map((x) => x.type), ['restarting', 'restarting', 'budget-exceeded', 'stopped']);
});

t.test('supervisor - resume keeps state; a failing started() is restarted; stop during backoff ends it', async (t) => {
  const clock = new FakeClock();
  const sys = new ActorSystem({ clock, random: () => 0 });
  const log: string[] = [];
  const resume = { maxRestarts: 3, windowMs: 1000, backoff: { initialMs: 50, maxMs: 50 }, decide: () => 'resume' as const };
  const ref = sys.spawn<Msg>('tough', counter(log), { strategy: resume });
  sys.tell(ref, { kind: 'add', n: 2 });
  sys.tell(ref, { kind: 'fail', retryable: false });
  t.equal(await sys.ask<Msg, number>(ref, (replyTo) => ({ kind: 'get', replyTo }), { timeoutMs: 10 }), 2);

  let starts = 0;
  const bad = sys.spawn<{ kind: 'x' }>('bad-start', () => ({
    async started() { starts++; throw new TimeoutError('connecting'); },
    async receive() { /* unused */ },
  }), { strategy: { ...resume, decide: () => 'resume' as const }, critical: false });
  await clock.whenPending(1);
  await clock.tick(50);
  await clock.whenPending(1);
  t.equal(starts, 2, 'started failure is treated as restart even under resume');
  const done = sys.whenStopped(bad);
  await sys.stop(bad);
  t.equal((await done).kind, 'stopped');
  t.equal(clock.pending, 0, 'the backoff timer was cancelled');
  await sys.stopAll();
  t.same(log, ['started#1', 'stopped#1:stopped']);
});

t.test('system - run() stops every actor in reverse spawn order when the signal aborts', async (t) => {
  const sys = new ActorSystem({ clock: new FakeClock() });
  const order: string[] = [];
  for (const name of ['a', 'b', 'c']) {
    sys.spawn<{ kind: 'x' }>(name, () => ({ async receive() {}, async stopped() { order.push(name); } }));
  }
  t.throws(() => sys.spawn('a', () => ({ async receive() {} })), ConfigError);
  const ac = new AbortController();
  const running = sys.run(ac.signal);
  ac.abort();
  await running;
  t.same(order, ['c', 'b', 'a']);
  t.same(sys.actors(), []);
});

t.test('actor - stopSelf stops after the current message and context signal aborts', async (t) => {
  const sys = new ActorSystem({ clock: new FakeClock() });
  let signal: AbortSignal | undefined;
  const ref = sys.spawn<{ kind: 'quit' }>('quitter', () => ({
    async receive(_m, ctx) { signal = ctx.signal; ctx.stopSelf(); },
  }));
  sys.tell(ref, { kind: 'quit' });
  t.same(await sys.whenStopped(ref), { kind: 'stopped' });
  t.equal(signal?.aborted, true);
});
