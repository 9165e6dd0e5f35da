// Subject building and parsing: inbox forms a producer accepts as a reply inbox, and the tokens
// that may never form one (dots, wildcards, other prefixes).
import t from 'tap';
import { Subjects } from '../../../runtime/transport/subject.js';

t.test('inboxes: one-token and grouped forms are inboxes of their prefix only', async (t) => {
  const s = new Subjects('prod');
  t.equal(s.inbox('abc'), 'prod.inbox.abc');
  t.equal(s.inboxIn('g1', 'abc'), 'prod.inbox.g1.abc');
  t.equal(s.inboxGroup('g1'), 'prod.inbox.g1.*');
  for (const ok of ['prod.inbox.abc', 'prod.inbox.g1.abc', 'prod.inbox.A_b-9.x']) t.ok(s.isInbox(ok), ok);
  for (const bad of ['prod.inbox.', 'prod.inbox.a.b.c', 'prod.inbox.g1.*', 'prod.inbox.>', 'prod.inbox.g1.', 'other.inbox.abc', 'prod.rpc.store.series', 'prod.inbox.a b']) {
    t.notOk(s.isInbox(bad), bad);
  }
  t.throws(() => s.inboxIn('g.1', 'abc'), { name: 'ConfigError' });
  t.throws(() => s.inboxIn('g1', '*'), { name: 'ConfigError' });
  t.throws(() => s.inboxGroup('>'), { name: 'ConfigError' });
});
