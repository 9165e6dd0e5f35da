import t from 'tap';
import { createLogger, childLogger } from '../../../runtime/log/logger.js';
import { logFlags, logOptionsFromFlags, loggerFromFlags } from '../../../runtime/log/flags.js';
import { toLogfmt } from '../../../runtime/log/logfmt.js';
import { ConfigError, TimeoutError } from '../../../runtime/errors/runtime-errors.js';

function sink(): { lines: string[]; write(s: string): void } {
  const lines: string[] = [];
  return { lines, write(s: string) { lines.push(s); } };
}

t.test('logger - logfmt lines carry ts, level, msg and child bindings', async (t) => {
  const out = sink();
  const root = createLogger({ level: 'info', format: 'logfmt', destination: out });
  const log = childLogger(childLogger(root, { component: 'store' }), { actor: 'store/1' });
  log.info({ block: '01H', durationMs: 12 }, 'synced blocks');
  log.debug('hidden');
  log.warn({ err: new TimeoutError('waiting for reply') }, 'retrying');
  t.equal(out.lines.length, 2);
  t.match(out.lines[0]!, /^ts=\d{4}-\d\d-\d\dT[^ ]+Z level=info msg="synced blocks" component=store actor=store\/1 block=01H durationMs=12\n$/);
  t.match(out.lines[1]!, /level=warn msg=retrying .*err="waiting for reply" errCode=RT_TIMEOUT/);
});

t.test('logger - json format writes one pino JSON object per line with a level label', async (t) => {
  const out = sink();
  const log = createLogger({ level: 'debug', format: 'json', destination: out, bindings: { node: 'n1' } });
  log.debug({ subject: 'athanor.x' }, 'hello');
  const rec = JSON.parse(out.lines[0]!) as Record<string, unknown>;
  t.equal(rec.level, 'debug');
  t.equal(rec.node, 'n1');
  t.equal(rec.subject, 'athanor.x');
  t.equal(rec.msg, 'hello');
  t.type(rec.time, 'string');
  t.notOk('pid' in rec);
});

t.test('logfmt - quotes values with spaces, quotes or equals; nested values become JSON', async (t) => {
  t.equal(toLogfmt({ level: 'info', time: 't', msg: 'a "b"', k: 'x=y', n: null, o: { a: 1 }, e: '' }),
    'ts=t level=info msg="a \\"b\\"" k="x=y" n=null o="{\\"a\\":1}" e=""\n');
});

t.test('log flags - Thanos names and defaults; bad values are ConfigError', async (t) => {
  t.equal(logFlags['log.level'].default, 'info');
  t.equal(logFlags['log.format'].default, 'logfmt');
  t.same(logOptionsFromFlags({}), { level: 'info', format: 'logfmt' });
  t.same(logOptionsFromFlags({ 'log.level': 'debug', 'log.format': 'json' }), { level: 'debug', format: 'json' });
  t.throws(() => logOptionsFromFlags({ 'log.level': 'loud' }), ConfigError);
  t.throws(() => logOptionsFromFlags({ 'log.format': 'xml' }), ConfigError);
  const out = sink();
  loggerFromFlags({ 'log.level': 'warn' }, out).info('dropped');
  t.equal(out.lines.length, 0);
});
