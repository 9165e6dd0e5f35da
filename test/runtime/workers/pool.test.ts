import t from 'tap';
import { WorkerPool, threadExecArgv } from '../../../runtime/workers/pool.js';
import { defineTasks, taskSpec, workerModule } from '../../../runtime/workers/tasks.js';
import type { TaskFn } from '../../../runtime/workers/task.js';
import type * as demo from './fixtures/demo.task.js';
import { CancelledError, ClosedError, ConfigError, QueueFullError, WorkerTaskError } from '../../../runtime/errors/runtime-errors.js';
import { createRegistry } from '../../../runtime/metrics/registry.js';

const mod = workerModule(import.meta.url, './fixtures/demo.task');
const tasks = defineTasks({
  add: taskSpec<typeof demo.add>(mod, 'add'),
  fill: taskSpec<typeof demo.fill>(mod, 'fill'),
  sum: taskSpec<typeof demo.sum>(mod, 'sum'),
  fail: taskSpec<typeof demo.fail>(mod, 'fail'),
  block: taskSpec<typeof demo.block>(mod, 'block'),
  rawDouble: taskSpec<TaskFn<number, number>>(mod, 'rawDouble'),
});

// Node 20 has Atomics.waitAsync; the ES2023 lib typings do not.
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

function gate() {
  const sab = new SharedArrayBuffer(8);
  const cells = new Int32Array(sab);
  return {
    sab,
    /** Resolves once the block task is running in a thread. */
    running: async () => { const w = waitAsync(cells, 1, 0); if (w.async) await w.value; },
    release: () => { Atomics.store(cells, 0, 1); Atomics.notify(cells, 0); },
  };
}

const registry = createRegistry({ defaultMetrics: false });
const pool = new WorkerPool(tasks, { name: 'test', minThreads: 1, maxThreads: 2, maxQueue: 1, registry });
t.teardown(() => pool.close());

t.test('pool - runs typed tasks on worker threads', async (t) => {
  const n: number = await pool.run('add', { a: 2, b: 40 });
  t.equal(n, 42);
  t.equal(await pool.run('rawDouble', 21), 42, 'plain exports work too');
  const sums = await Promise.all([1, 2, 3].map((k) => pool.run('sum', { data: new Float64Array([k, k, k]) })));
  t.same(sums, [3, 6, 9]);
});

t.test('pool - transfer moves buffers to the worker and back without copies', async (t) => {
  const data = new Float64Array(1000).fill(0.5);
  t.equal(await pool.run('sum', { data }, { transfer: [data.buffer] }), 500);
  t.equal(data.buffer.byteLength, 0, 'the sender buffer is detached');
  const input = new ArrayBuffer(4096);
  const out = await pool.run('fill', { bytes: input, value: 7 }, { transfer: [input] });
  t.equal(input.byteLength, 0);
  t.equal(out.label, 'filled');
  t.equal(out.data.inputBytes, 4096);
  t.ok(out.data.buf instanceof ArrayBuffer);
  t.equal(out.data.buf.byteLength, 4096, 'a buffer nested in the result arrives');
  t.ok(new Uint8Array(out.data.buf).every((b) => b === 7));
});

t.test('pool - task errors become WorkerTaskError with the original message and code', async (t) => {
  const coded = await pool.run('fail', { coded: true }).catch((e: unknown) => e);
  t.ok(coded instanceof WorkerTaskError);
  const e = coded as InstanceType<typeof WorkerTaskError>;
  t.equal(e.code, 'RT_WORKER_TASK');
  t.match(e.message, /running worker task fail: reading demo config: bad value/);
  t.match(e.data, { task: 'fail', code: 'RT_CONFIG', errorName: 'ConfigError' });
  t.ok(e.cause instanceof ConfigError, 'cause is rebuilt as the original class');
  t.same((e.cause as InstanceType<typeof ConfigError>).data, { key: 'x' });
  const plain = await pool.run('fail', { coded: false }).catch((x: unknown) => x) as InstanceType<typeof WorkerTaskError>;
  t.ok(plain instanceof WorkerTaskError);
  t.match(plain.data, { code: 'ENOENT', errorName: 'Error' });
  t.equal(await pool.run('add', { a: 1, b: 1 }), 2, 'the pool keeps working');
});

t.test('pool - abort cancels queued and running tasks with CancelledError', async (t) => {
  const ac = new AbortController();
  ac.abort();
  await t.rejects(pool.run('add', { a: 1, b: 1 }, { signal: ac.signal }), CancelledError);
  const g = gate();
  const ac2 = new AbortController();
  const running = pool.run('block', { sab: g.sab }, { signal: ac2.signal });
  await g.running();
  ac2.abort();
  await t.rejects(running, CancelledError);
  t.equal(await pool.run('add', { a: 3, b: 4 }), 7, 'a replacement thread serves the next task');
});

t.test('pool - a full queue rejects with a retryable QueueFullError', async (t) => {
  const g1 = gate();
  const g2 = gate();
  const b1 = pool.run('block', { sab: g1.sab });
  const b2 = pool.run('block', { sab: g2.sab });
  const queued = pool.run('add', { a: 1, b: 2 });
  t.equal(pool.pending, 3);
  const err = await pool.run('add', { a: 0, b: 0 }).catch((e: unknown) => e);
  t.ok(err instanceof QueueFullError);
  t.equal((err as InstanceType<typeof QueueFullError>).retryable, true);
  g1.release();
  g2.release();
  t.same(await Promise.all([b1, b2, queued]), ['released', 'released', 3]);
  const text = await registry.metrics();
  t.match(text, /athanor_worker_tasks_total\{pool="test",task="add",outcome="rejected"\} 1/);
  t.match(text, /athanor_worker_tasks_total\{pool="test",task="block",outcome="cancelled"\} 1/);
  t.match(text, /athanor_worker_tasks_total\{pool="test",task="fail",outcome="error"\} 2/);
  t.match(text, /athanor_worker_task_duration_seconds_count\{pool="test",task="add"\} \d+/);
  t.match(text, /athanor_worker_queue_depth\{pool="test"\} 0/);
});

t.test('pool - close finishes, then refuses work with ClosedError', async (t) => {
  const p = new WorkerPool(defineTasks({ add: tasks.add }), { minThreads: 0, maxThreads: 1 });
  const pending = p.run('add', { a: 5, b: 5 });
  const closing = p.close();
  t.equal(await pending, 10);
  await closing;
  await t.rejects(p.run('add', { a: 1, b: 1 }), ClosedError);
});

t.test('registry helpers - module extension follows the caller, loader added only when needed', async (t) => {
  t.match(workerModule('file:///a/b/pool.ts', './x.task').href, /\/a\/b\/x\.task\.ts$/);
  t.match(workerModule('file:///dist/a/pool.js', './x.task').href, /\/dist\/a\/x\.task\.js$/);
  t.same(threadExecArgv(['file:///x.ts'], ['--expose-gc']), ['--import', 'tsx']);
  t.equal(threadExecArgv(['file:///x.ts'], ['--import', 'tsx']), undefined);
  t.equal(threadExecArgv(['file:///x.ts'], ['--loader=ts-node/esm']), undefined);
  t.equal(threadExecArgv(['file:///x.js'], []), undefined);
  t.throws(() => defineTasks({ 'bad name': tasks.add }), ConfigError);
  t.throws(() => taskSpec('https://example.com/x.js', 'x'), ConfigError);
});
