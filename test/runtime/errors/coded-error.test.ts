import t from 'tap';
import { fromWire, isWireError, RemoteError, toWire } from '../../../runtime/errors/coded-error.js';
import { MailboxFullError, TimeoutError, ConfigError } from '../../../runtime/errors/runtime-errors.js';
import { pack, unpack } from 'msgpackr';

t.test('runtime errors carry a stable code and retryable flag', async (t) => {
  const e = new MailboxFullError('enqueueing to actor store/1', { data: { capacity: 10 } });
  t.equal(e.code, 'RT_MAILBOX_FULL');
  t.equal(e.retryable, true);
  t.equal(e.name, 'MailboxFullError');
  t.ok(e instanceof Error);
  t.equal(new ConfigError('x').retryable, false);
});

t.test('errors survive a wire trip as the same class', async (t) => {
  const e = new TimeoutError('waiting for reply on athanor.rpc.store.series', { data: { timeoutMs: 50 } });
  const back = fromWire(unpack(pack(e.toWire())) as never);
  t.ok(back instanceof TimeoutError);
  t.equal(back.message, e.message);
  t.same(back.data, { timeoutMs: 50 });
  t.equal(back.retryable, true);
});

t.test('unknown codes become RemoteError and plain errors become INTERNAL', async (t) => {
  const back = fromWire({ name: 'WeirdError', code: 'X_WEIRD', message: 'odd', retryable: true });
  t.ok(back instanceof RemoteError);
  t.equal(back.code, 'X_WEIRD');
  t.equal(back.retryable, true);
  t.same(toWire(new Error('boom')), { name: 'Error', code: 'INTERNAL', message: 'boom', retryable: false });
  t.notOk(isWireError({ code: 1 }));
  t.ok(isWireError(toWire('s')));
});
