import t from 'tap';
import { AsyncWriteQueue } from '../../../../actors/shared/cache/async-writes.js';

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  return { wait: new Promise<void>((r) => { open = r; }), open };
}

t.test('runs at most `concurrency` jobs, buffers at most `maxBuffered`, refuses the rest', async (t) => {
  const q = new AsyncWriteQueue({ maxBuffered: 2, concurrency: 2 });
  const g = gate();
  let running = 0;
  let peak = 0;
  const done: number[] = [];
  const job = (i: number) => async (): Promise<void> => { running++; peak = Math.max(peak, running); await g.wait; running--; done.push(i); };
  const accepted = [0, 1, 2, 3, 4, 5].map((i) => q.push(job(i)));
  t.same(accepted, [true, true, true, true, false, false], 'two run, two wait, two refused');
  t.equal(q.running, 2);
  t.equal(q.length, 2);
  g.open();
  await q.flush();
  t.equal(peak, 2);
  t.same(done.sort(), [0, 1, 2, 3]);
  t.equal(q.length + q.running, 0);
});

t.test('a failing job does not stop the queue; flush on an idle queue resolves at once', async (t) => {
  const q = new AsyncWriteQueue({ maxBuffered: 10, concurrency: 1 });
  await q.flush();
  let ran = 0;
  q.push(() => Promise.reject(new Error('backend down')));
  q.push(async () => { ran++; });
  await q.flush();
  t.equal(ran, 1);
});

t.test('close refuses new jobs and drops what has not started by the timeout', async (t) => {
  const q = new AsyncWriteQueue({ maxBuffered: 10, concurrency: 1 });
  const g = gate();
  let ran = 0;
  q.push(async () => { await g.wait; ran++; });
  q.push(async () => { ran++; });
  await q.close(20);
  t.equal(q.length, 0, 'waiting job dropped');
  t.equal(q.push(async () => { ran++; }), false, 'closed');
  g.open();
  await new Promise((r) => setTimeout(r, 5));
  t.equal(ran, 1, 'only the running job finished');
});
