// Worker-thread task: deduplicates a packed batch and moves the result buffers back.
import { transferOut, defineTask } from '../../../runtime/workers/task.js';
import { dedupBatch, type DedupBatchIn } from './batch.js';

export const dedupBatchTask = defineTask((input: DedupBatchIn) => {
  const out = dedupBatch(input);
  return transferOut(out, [out.ts.buffer as ArrayBuffer, out.vs.buffer as ArrayBuffer, out.offsets.buffer as ArrayBuffer]);
});
