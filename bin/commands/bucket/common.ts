import { fileOrContentFlag, type FlagSpec, type FlagValues } from '../../../runtime/cli/command.js';
import { stringFlag } from '../../../runtime/cli/command.js';
import { ConfigError } from '../../../runtime/errors/runtime-errors.js';
import type { Bucket } from '../../../actors/shared/objstore/bucket.js';
import { parseDurationMs } from '../../../actors/shared/objstore/config-reader.js';
import { bucketFromFlags, objstoreFlags } from '../../../actors/shared/objstore/factory.js';
import { isBlockId } from '../../../actors/shared/block/ulid.js';
import { parseRelabelConfigs, type RelabelConfig } from '../../../actors/shared/labels/relabel.js';

/** Every `tools bucket` command takes the objstore flags (Thanos registers them on `bucket`). */
export function withObjstore(flags: Record<string, FlagSpec>): Record<string, FlagSpec> {
  return { ...objstoreFlags, ...flags };
}

/**
 * Opens the configured bucket, runs `fn`, closes the bucket. A bad or missing objstore config is a
 * flag problem: it becomes ConfigError (exit 2).
 */
export async function withBucket<T>(flags: FlagValues, fn: (bkt: Bucket) => Promise<T>): Promise<T> {
  let bkt: Bucket;
  try { bkt = await bucketFromFlags(flags); } catch (err) {
    if ((err as { code?: string }).code === 'OBJSTORE_BAD_CONFIG') throw new ConfigError((err as Error).message, { cause: err });
    throw err;
  }
  try { return await fn(bkt); } finally { await bkt.close(); }
}

/** A Go/Prometheus duration flag (`48h`, `30m`, `0s`) in ms; ConfigError when malformed. */
export function durationFlag(flags: FlagValues, name: string): number {
  const s = stringFlag(flags, name) ?? '';
  const ms = parseDurationMs(s);
  if (ms === undefined) throw new ConfigError(`flag --${name}: invalid duration ${JSON.stringify(s)}`);
  return ms;
}

/** Block ULIDs of a repeated `--id` flag; ConfigError for anything that is not one. */
export function blockIds(values: readonly string[]): string[] {
  for (const v of values) if (!isBlockId(v)) throw new ConfigError(`flag --id: ${JSON.stringify(v)} is not a block ULID`);
  return [...values];
}

/** The caller's signal bounded by `--timeout`. */
export function timeoutSignal(signal: AbortSignal, ms: number): AbortSignal {
  return ms > 0 ? AbortSignal.any([signal, AbortSignal.timeout(ms)]) : signal;
}

/** Writes text, waiting for the stream to drain when its buffer is full. */
export async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
}

/** Thanos's `--selector.relabel-config(-file)` flags (ls, cleanup): relabel over {external labels, __block_id}. */
export const selectorRelabelFlags: Readonly<Record<string, FlagSpec>> = {
  'selector.relabel-config': { type: 'string', placeholder: '<yaml>', description: 'Relabel config (YAML list) over {external labels, __block_id} selecting the blocks to process (keep/drop/hashmod).' },
  'selector.relabel-config-file': { type: 'string', placeholder: '<file-path>', description: 'File with the relabel config selecting the blocks to process.' },
};

/** The relabel configs of `selectorRelabelFlags`; ConfigError for unreadable or invalid ones. */
export async function selectorRelabelFromFlags(v: FlagValues): Promise<RelabelConfig[]> {
  const given = await fileOrContentFlag(v, 'selector.relabel-config-file', 'selector.relabel-config', 'relabel config');
  if (given === undefined) return [];
  try { return parseRelabelConfigs(given.text, given.source); } catch (err) {
    throw new ConfigError((err as Error).message, { cause: err });
  }
}
