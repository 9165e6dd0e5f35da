// Worker-thread task: decodes and deduplicates a packed batch of raw chunks; result buffers move back.
import { defineTask, transferOut } from '../../../runtime/workers/task.js';
import { decodeDedupRaw, type RawBatch } from './raw-batch.js';

export const decodeDedupTask = defineTask((input: RawBatch) => {
  const out = decodeDedupRaw(input);
  return transferOut(out, [out.ts.buffer as ArrayBuffer, out.vs.buffer as ArrayBuffer, out.offsets.buffer as ArrayBuffer]);
});
