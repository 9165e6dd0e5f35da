import { once } from 'node:events';
import type { Command, FlagValues } from '../../runtime/cli/command.js';
import { stringFlag } from '../../runtime/cli/command.js';
import { ConfigError } from '../../runtime/errors/runtime-errors.js';
import { createBlocksFromOpenMetrics } from '../../actors/shared/tsdb/block/backfill.js';
import { dumpSamples } from '../../actors/shared/tsdb/block/dump.js';
import { BadSelectorError } from '../../actors/shared/tsdb/block/errors.js';
import { DEFAULT_SELECTOR, parseSeriesSelector } from '../../actors/shared/tsdb/block/selector.js';

const MIN_INT64 = -(2n ** 63n), MAX_INT64 = 2n ** 63n - 1n;

/**
 * Parses a `--min-time`/`--max-time` value as Go's int64 flag parser accepts it (decimal, optional
 * sign) and clamps it to the safe-integer range (block times are always inside it).
 */
function timeFlag(flags: FlagValues, name: string, def: bigint): number {
  const s = stringFlag(flags, name);
  let v = def;
  if (s !== undefined) {
    if (!/^[+-]?\d+$/.test(s)) throw new ConfigError(`flag --${name}: invalid integer ${JSON.stringify(s)}`);
    v = BigInt(s);
    if (v < MIN_INT64 || v > MAX_INT64) throw new ConfigError(`flag --${name}: ${s} is out of the int64 range`);
  }
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(v > max ? max : v < -max ? -max : v);
}

/**
 * `athanor tools tsdb dump <dir>`: every sample of the blocks in a data directory, line-for-line as
 * `promtool tsdb dump` 2.42 prints it. `athanor tools tsdb create-blocks-from openmetrics <file>
 * <outdir>`: 2 h-aligned blocks with the same series, chunks and samples as promtool's backfill.
 */
export const commands: Command[] = [
  {
    path: ['tools', 'tsdb', 'dump'],
    summary: 'print the samples of the TSDB blocks in a data directory (promtool tsdb dump format)',
    args: '<dir>',
    flags: {
      'match': { type: 'string', description: 'series selector', default: DEFAULT_SELECTOR, placeholder: '<selector>' },
      'min-time': { type: 'string', description: 'minimum timestamp to dump, ms (inclusive)', default: String(MIN_INT64), placeholder: '<ms>' },
      'max-time': { type: 'string', description: 'maximum timestamp to dump, ms (inclusive)', default: String(MAX_INT64), placeholder: '<ms>' },
    },
    async run(flags, positionals, io) {
      if (positionals.length > 1) throw new ConfigError('expected at most one data directory');
      const dir = positionals[0] ?? 'data/';
      let matchers;
      try { matchers = parseSeriesSelector(stringFlag(flags, 'match') ?? DEFAULT_SELECTOR); } catch (err) {
        if (err instanceof BadSelectorError) throw new ConfigError(`flag --match: ${err.message}`, { cause: err });
        throw err;
      }
      const mint = timeFlag(flags, 'min-time', MIN_INT64), maxt = timeFlag(flags, 'max-time', MAX_INT64);
      const out = io.stdout;
      await dumpSamples(dir, { matchers, mint, maxt }, async (text) => {
        if (!out.write(text)) await once(out, 'drain');
      });
      return 0;
    },
  },
  {
    path: ['tools', 'tsdb', 'create-blocks-from', 'openmetrics'],
    summary: 'write 2h-aligned TSDB blocks from an OpenMetrics file (as promtool tsdb create-blocks-from openmetrics)',
    args: '<file> [<outdir>]',
    flags: {
      quiet: { type: 'boolean', description: 'do not print the created blocks', short: 'q' },
    },
    async run(flags, positionals, io) {
      if (positionals.length < 1 || positionals.length > 2) throw new ConfigError('expected <file> and an optional <outdir>');
      const metas = await createBlocksFromOpenMetrics(positionals[0]!, positionals[1] ?? 'data/');
      if (flags['quiet'] !== true) {
        io.stdout.write('BLOCK ULID                  MIN TIME       MAX TIME       NUM SAMPLES  NUM CHUNKS   NUM SERIES\n');
        for (const m of metas) {
          const s = m.stats;
          io.stdout.write(`${m.ulid}  ${pad(m.minTime, 13)}  ${pad(m.maxTime, 13)}  ${pad(s.numSamples ?? 0, 11)}  ${pad(s.numChunks ?? 0, 11)}  ${s.numSeries ?? 0}\n`);
        }
      }
      return 0;
    },
  },
];

function pad(n: number, w: number): string { return String(n).padEnd(w); }
