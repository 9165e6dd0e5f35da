import { defineTasks, taskSpec, workerModule } from '../../../runtime/workers/tasks.js';
import type { dedupBatchTask } from './dedup.task.js';

/**
 * Worker tasks of the querier's deduplication. Send `packReplicas(...)` buffers with
 * `transfer: [ts.buffer, vs.buffer, offsets.buffer, seriesStart.buffer]`; the result's buffers come back moved.
 */
export const dedupTasks = defineTasks({
  'dedup.batch': taskSpec<typeof dedupBatchTask>(workerModule(import.meta.url, './dedup.task'), 'dedupBatchTask'),
});
