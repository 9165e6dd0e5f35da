import { defineTasks, taskSpec, workerModule } from '../../../runtime/workers/tasks.js';
import type { decodeDedupTask } from './decode-dedup.task.js';

/**
 * Worker tasks of the querier. `querier.decodeDedup`: a RawBatch (packRawBatch; send with
 * `transfer: rawBatchTransfer(batch)`) → PackedSeries (one deduplicated, clipped series per input).
 */
export const querierTasks = defineTasks({
  'querier.decodeDedup': taskSpec<typeof decodeDedupTask>(workerModule(import.meta.url, './decode-dedup.task'), 'decodeDedupTask'),
});

export type QuerierTasks = typeof querierTasks;
