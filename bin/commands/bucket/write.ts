import { stat } from 'node:fs/promises';
import type { Command } from '../../../runtime/cli/command.js';
import { boolFlag, stringFlag, stringsFlag } from '../../../runtime/cli/command.js';
import { ConfigError } from '../../../runtime/errors/runtime-errors.js';
import { isObjectNotFound } from '../../../actors/shared/objstore/errors.js';
import { DELETION_MARK, NO_COMPACT_MARK, NO_DOWNSAMPLE_MARK, markBlock, markerObject, type MarkerKind } from '../../../actors/shared/block/markers.js';
import { planCleanup, runCleanup } from '../../../actors/shared/block/tools/cleanup.js';
import { BlockNotFoundError } from '../../../actors/shared/block/tools/errors.js';
import { goRfc3339 } from '../../../actors/shared/block/tools/go-format.js';
import { parseFlagLabels } from '../../../actors/shared/block/tools/labels-flag.js';
import { uploadBlocks } from '../../../actors/shared/block/tools/upload-blocks.js';
import { labelShardFilter } from '../../../actors/shared/block/filters.js';
import { blockIds, durationFlag, selectorRelabelFlags, selectorRelabelFromFlags, withBucket, withObjstore, write } from './common.js';

const MARKERS: Readonly<Record<string, MarkerKind>> = { [DELETION_MARK]: 'deletion', [NO_COMPACT_MARK]: 'no-compact', [NO_DOWNSAMPLE_MARK]: 'no-downsample' };

/** `tools bucket upload-blocks`, `mark` and `cleanup`. */
export const writeCommands: Command[] = [
  {
    path: ['tools', 'bucket', 'upload-blocks'],
    summary: 'Upload blocks push blocks from the provided path to the object storage.',
    flags: withObjstore({
      path: { type: 'string', default: './data', placeholder: '<dir>', description: 'Path to the directory containing blocks to upload.' },
      label: { type: 'string', multiple: true, placeholder: '<name>="<value>"', description: 'External labels to add to the uploaded blocks (repeated).' },
      'shipper.upload-compacted': { type: 'boolean', description: 'If true shipper will try to upload compacted blocks as well.' },
    }),
    async run(flags, _pos, io) {
      const raw = stringsFlag(flags, 'label');
      if (raw.length === 0) throw new ConfigError('no external labels configured, uniquely identifying external labels must be configured (--label name="value")');
      const labels = parseFlagLabels(raw, 'label');
      const path = stringFlag(flags, 'path') ?? './data';
      try { if (!(await stat(path)).isDirectory()) throw new Error('not a directory'); } catch (err) {
        throw new ConfigError(`flag --path: unable to access path '${path}': ${(err as Error).message}`, { cause: err });
      }
      return withBucket(flags, async (bkt) => {
        let n = 0;
        await uploadBlocks(bkt, path, {
          labels, uploadCompacted: boolFlag(flags, 'shipper.upload-compacted'), signal: io.signal,
          onBlock: (r) => {
            if (r.status === 'uploaded') n++;
            io.stdout.write(r.status === 'uploaded' ? `uploaded ${r.block}\n` : r.status === 'exists' ? `skipped ${r.block}: already in the bucket\n`
              : r.status === 'skipped-empty' ? `skipped ${r.block}: no samples\n` : `skipped ${r.block}: compacted (see --shipper.upload-compacted)\n`);
          },
        });
        await write(io.stdout, `uploaded ${n} blocks\n`);
        return 0;
      });
    },
  },
  {
    path: ['tools', 'bucket', 'mark'],
    summary: 'Mark block for deletion or no-compact in a safe way.',
    flags: withObjstore({
      id: { type: 'string', multiple: true, placeholder: '<ulid>', description: 'ID (ULID) of the blocks to be marked (repeated flag, required).' },
      marker: { type: 'string', placeholder: '<file>', description: `Marker to be put (required): ${Object.keys(MARKERS).join(', ')}.` },
      details: { type: 'string', placeholder: '<text>', description: 'Human readable details to be put into marker (required unless --remove).' },
      remove: { type: 'boolean', description: 'Remove the marker.' },
    }),
    async run(flags, _pos, io) {
      const ids = blockIds(stringsFlag(flags, 'id'));
      if (ids.length === 0) throw new ConfigError('required flag --id not provided');
      const marker = stringFlag(flags, 'marker');
      if (marker === undefined) throw new ConfigError('required flag --marker not provided');
      const kind = MARKERS[marker];
      if (kind === undefined) throw new ConfigError(`flag --marker: ${JSON.stringify(marker)} is not one of ${Object.keys(MARKERS).join(', ')}`);
      const remove = boolFlag(flags, 'remove');
      const details = stringFlag(flags, 'details') ?? '';
      if (!remove && details === '') throw new ConfigError('required flag --details not provided');
      return withBucket(flags, async (bkt) => {
        for (const id of ids) {
          const name = markerObject(id, kind);
          if (remove) {
            try { await bkt.delete(name, { signal: io.signal }); await write(io.stdout, `removed ${marker} of ${id}\n`); } catch (err) {
              if (!isObjectNotFound(err)) throw err;
              await write(io.stdout, `${id} has no ${marker}\n`);
            }
            continue;
          }
          let any = false;
          for await (const _ of bkt.iter(id, { signal: io.signal })) { any = true; break; }
          if (!any) throw new BlockNotFoundError(`marking block ${id}: no such block in the bucket`, { data: { block: id } });
          const made = await markBlock(bkt, { kind, id, version: 1, details, timeSec: Math.floor(Date.now() / 1000), ...(kind === 'deletion' ? {} : { reason: 'manual' }) }, io.signal);
          await write(io.stdout, made ? `marked ${id} with ${marker}\n` : `${id} already has ${marker}\n`);
        }
        return 0;
      });
    },
  },
  {
    path: ['tools', 'bucket', 'cleanup'],
    summary: 'Cleans up all blocks marked for deletion (after --delete-delay) and aborted partial uploads (older than 48h).',
    flags: withObjstore({
      'delete-delay': { type: 'string', default: '48h', placeholder: '<duration>', description: 'Time before a block marked for deletion is deleted from bucket.' },
      'consistency-delay': { type: 'string', default: '30m', placeholder: '<duration>', description: 'Partial blocks older than the maximum of consistency-delay and 48h will be removed.' },
      'dry-run': { type: 'boolean', description: 'Print what would be deleted without deleting anything.' },
      ...selectorRelabelFlags,
    }),
    async run(flags, _pos, io) {
      const deleteDelayMs = durationFlag(flags, 'delete-delay');
      const consistencyDelayMs = durationFlag(flags, 'consistency-delay');
      const dry = boolFlag(flags, 'dry-run');
      const filters = [labelShardFilter(await selectorRelabelFromFlags(flags))];
      return withBucket(flags, async (bkt) => {
        const plan = await planCleanup(bkt, { deleteDelayMs, consistencyDelayMs, nowMs: Date.now(), signal: io.signal, filters });
        const line = (a: (typeof plan)[number]) => a.reason === 'marked'
          ? `block ${a.block} (marked for deletion at ${goRfc3339(a.sinceMs)})` : `partial block ${a.block} (last modified ${goRfc3339(a.sinceMs)})`;
        if (dry) for (const a of plan) await write(io.stdout, `would delete ${line(a)}\n`);
        else await runCleanup(bkt, plan, (a) => { io.stdout.write(`deleted ${line(a)}\n`); }, io.signal);
        await write(io.stdout, `${dry ? 'would delete' : 'deleted'} ${plan.length} blocks\n`);
        return 0;
      });
    },
  },
];
