import type { Test } from 'tap';
import type { Transport } from '../../../runtime/transport/transport.js';
import { Subjects } from '../../../runtime/transport/subject.js';
import { Announcer } from '../../../runtime/discovery/announcer.js';
import { Registry, type RegistryEvent } from '../../../runtime/discovery/registry.js';
import type { Timers } from '../../../runtime/discovery/timers.js';

/** Manually driven timers: nothing fires until `advance`. */
export class ManualTimers implements Timers {
  private t = 1_000_000;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  now(): number { return this.t; }
  random(): number { return 0.5; }
  setTimeout(fn: () => void, ms: number): unknown { const id = ++this.seq; this.pending.set(id, { at: this.t + ms, fn }); return id; }
  clearTimeout(h: unknown): void { this.pending.delete(h as number); }
  /** Moves time forward, firing due timers in time order (timers they schedule too). */
  advance(ms: number): void {
    const until = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.pending) if (e[1].at <= until && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.pending.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = until;
  }
}

function nextEvent(reg: Registry, pred: (e: RegistryEvent) => boolean = () => true): Promise<RegistryEvent> {
  return new Promise((resolve) => { const off = reg.on((e) => { if (pred(e)) { off(); resolve(e); } }); });
}

/** Runs the discovery behaviour suite over transports made by `make` (all joined to one server). */
export function describeDiscovery(t: Test, name: string, make: () => Promise<Transport>): void {
  const subjects = new Subjects(`disc${Math.floor(Math.random() * 1e6)}`);

  t.test(`${name}: a newcomer sees running announcers at once through its probe`, async (t) => {
    const [ta, tr] = [await make(), await make()];
    t.teardown(async () => { await ta.drain(); await tr.drain(); });
    const timers = new ManualTimers();
    const stores = ['s1', 's2', 's3'].map((id) => new Announcer({
      transport: ta, subjects, component: 'store', id, node: 'n1', serves: { series: `x.${id}` }, info: { id }, timers, probeJitterMs: 0,
    }));
    await Promise.all(stores.map((s) => s.start()));
    const reg = new Registry({ transport: tr, subjects, self: 'q1', timers });
    const joined = reg.waitUntil((ps) => ps.length === 3);
    await reg.start();
    // The probe answer is scheduled with jitter 0: fire it. Announcements from start() may
    // have been missed since the registry subscribed later; the probe repairs that.
    await new Promise((r) => setTimeout(r, 0));
    await waitTicks(() => { timers.advance(0); return reg.list().length === 3; });
    await joined;
    t.same(reg.list('store').map((p) => p.announcement.id), ['s1', 's2', 's3']);
    t.same(reg.get('store', 's2')?.announcement.info, { id: 's2' });
    await Promise.all(stores.map((s) => s.stop()));
    await reg.stop();
  });

  t.test(`${name}: updates, goodbye and TTL expiry produce events`, async (t) => {
    const [ta, tb, tr] = [await make(), await make(), await make()];
    t.teardown(async () => { await ta.drain(); await tr.drain(); });
    const timers = new ManualTimers();
    const reg = new Registry({ transport: tr, subjects, self: 'q2', timers });
    await reg.start();
    const a = new Announcer({ transport: ta, subjects, component: 'store', id: 'a', node: 'n', serves: {}, info: 1, timers, intervalMs: 1000 });
    const b = new Announcer({ transport: tb, subjects, component: 'store', id: 'b', node: 'n', serves: {}, info: 1, timers, intervalMs: 1000, ttlMs: 3000 });
    let ev = nextEvent(reg, (e) => e.type === 'join');
    await a.start();
    t.equal((await ev).peer.announcement.id, 'a');
    ev = nextEvent(reg, (e) => e.type === 'join');
    await b.start();
    t.equal((await ev).peer.announcement.id, 'b');

    ev = nextEvent(reg, (e) => e.type === 'update');
    a.update(2);
    const up = await ev;
    t.equal(up.type === 'update' && up.previous.announcement.info, 1);
    t.equal(up.peer.announcement.info, 2);

    ev = nextEvent(reg, (e) => e.type === 'leave');
    await a.stop();
    const bye = await ev;
    t.ok(bye.type === 'leave' && bye.reason === 'goodbye' && bye.peer.announcement.id === 'a');

    // b's connection dies, so its goodbye is lost: it must expire after its TTL.
    await tb.drain();
    await b.stop();
    ev = nextEvent(reg, (e) => e.type === 'leave');
    timers.advance(3001);
    const exp = await ev;
    t.ok(exp.type === 'leave' && exp.reason === 'expired' && exp.peer.announcement.id === 'b');
    t.equal(reg.list().length, 0);
    t.equal(reg.stats.expired, 1);
    await reg.stop();
  });

  t.test(`${name}: periodic announcements keep a peer alive and invalid messages are counted`, async (t) => {
    const [ta, tr] = [await make(), await make()];
    t.teardown(async () => { await ta.drain(); await tr.drain(); });
    const timers = new ManualTimers();
    const reg = new Registry({ transport: tr, subjects, self: 'q3', timers });
    await reg.start();
    const a = new Announcer({ transport: ta, subjects, component: 'query', id: 'a', node: 'n', serves: {}, info: null, timers, intervalMs: 1000 });
    const joined = nextEvent(reg);
    await a.start();
    await joined;
    for (let i = 0; i < 10; i++) {
      timers.advance(1000);          // jittered interval: 1000 ± 20 % with random 0.5 → exactly 1000
      await waitTicks(() => reg.stats.announcements >= i + 2);
    }
    t.equal(reg.list().length, 1, 'still alive after 10 intervals (TTL 3 intervals)');
    // 1 at start + 10 periodic; over NATS the registry's start-up probe may also reach `a` and earn one answer.
    t.ok(a.sent === 11 || a.sent === 12, `sent ${a.sent}`);
    ta.publish(subjects.discoveryAnnounce(), { kind: 'announce', component: 'x' });
    ta.publish(subjects.discoveryAnnounce(), 'garbage');
    await waitTicks(() => reg.stats.invalid === 2);
    t.equal(reg.stats.invalid, 2);
    await a.stop();
    await reg.stop();
  });
}

/** Yields to the event loop until `cond` holds (bounded). */
async function waitTicks(cond: () => boolean, max = 2000): Promise<void> {
  for (let i = 0; i < max; i++) { if (cond()) return; await new Promise((r) => setTimeout(r, 1)); }
  throw new Error('condition not reached');
}
