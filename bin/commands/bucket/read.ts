import type { Command } from '../../../runtime/cli/command.js';
import { boolFlag, stringFlag, stringsFlag } from '../../../runtime/cli/command.js';
import { ConfigError } from '../../../runtime/errors/runtime-errors.js';
import { MetaFetcher, type MetaFilter } from '../../../actors/shared/block/fetcher.js';
import { ignoreDeletionMarkFilter, labelShardFilter, timePartitionFilter } from '../../../actors/shared/block/filters.js';
import { MAX_TIME_DEFAULT, MIN_TIME_DEFAULT, parseTimeFlag } from '../../../actors/shared/block/time-flag.js';
import { encodeMeta } from '../../../actors/shared/tsdb/meta/encode.js';
import { goDuration, goRfc3339 } from '../../../actors/shared/block/tools/go-format.js';
import { DEFAULT_SORT, INSPECT_COLUMNS, inspectJson, inspectRows, inspectTable, type InspectColumn } from '../../../actors/shared/block/tools/inspect.js';
import { parseFlagLabels } from '../../../actors/shared/block/tools/labels-flag.js';
import { ProgressBar, metaProgressReader } from '../../../actors/shared/block/tools/progress.js';
import { renderCsv, renderTable, renderTsv } from '../../../actors/shared/block/tools/table.js';
import { durationFlag, selectorRelabelFlags, selectorRelabelFromFlags, timeoutSignal, withBucket, withObjstore, write } from './common.js';

const timeoutSpec = { type: 'string', description: 'Timeout to download metadata from remote storage', default: '5m', placeholder: '<duration>' } as const;

function timeFlag(v: string, name: string) {
  try { return parseTimeFlag(v, name); } catch (err) { throw new ConfigError((err as Error).message, { cause: err }); }
}

/** `tools bucket ls` and `tools bucket inspect`. */
export const readCommands: Command[] = [
  {
    path: ['tools', 'bucket', 'ls'],
    summary: 'List all blocks in the bucket.',
    flags: withObjstore({
      output: { type: 'string', short: 'o', default: '', placeholder: '<format>', description: "Optional format in which to print each block's information. Options are 'json' or 'wide' (Go templates are not supported)." },
      'exclude-delete': { type: 'boolean', description: 'Exclude blocks marked for deletion.' },
      'min-time': { type: 'string', default: MIN_TIME_DEFAULT, placeholder: '<time>', description: 'List only blocks overlapping times after this: RFC3339 or a duration relative to now (-1d, 2h45m).' },
      'max-time': { type: 'string', default: MAX_TIME_DEFAULT, placeholder: '<time>', description: 'List only blocks overlapping times before this: RFC3339 or a duration relative to now.' },
      timeout: timeoutSpec,
      ...selectorRelabelFlags,
    }),
    async run(flags, _pos, io) {
      const format = stringFlag(flags, 'output') ?? '';
      if (!['', 'wide', 'json'].includes(format)) throw new ConfigError(`flag --output: unsupported format ${JSON.stringify(format)}; use "", "wide" or "json"`);
      const filters: MetaFilter[] = [labelShardFilter(await selectorRelabelFromFlags(flags)), timePartitionFilter(timeFlag(stringFlag(flags, 'min-time') ?? MIN_TIME_DEFAULT, 'min-time'), timeFlag(stringFlag(flags, 'max-time') ?? MAX_TIME_DEFAULT, 'max-time'))];
      if (boolFlag(flags, 'exclude-delete')) filters.push(ignoreDeletionMarkFilter(0));
      const signal = timeoutSignal(io.signal, durationFlag(flags, 'timeout'));
      return withBucket(flags, async (bkt) => {
        const res = await new MetaFetcher({ bucket: bkt, filters }).fetch(signal);
        for (const m of [...res.metas.values()].sort((a, b) => (a.ulid < b.ulid ? -1 : 1))) {
          if (format === '') await write(io.stdout, `${m.ulid}\n`);
          else if (format === 'json') await write(io.stdout, encodeMeta(m, { trailingNewline: true }));
          else {
            const lo = Math.trunc(m.minTime / 1000) * 1000, hi = Math.trunc(m.maxTime / 1000) * 1000;
            await write(io.stdout, `${m.ulid} -- ${goRfc3339(m.minTime)} - ${goRfc3339(m.maxTime)} Diff: ${goDuration(hi - lo)}, Compaction: ${m.compaction.level}, Downsample: ${m.thanos?.downsample.resolution ?? 0}, Source: ${m.thanos?.source ?? ''}\n`);
          }
        }
        return 0;
      });
    },
  },
  {
    path: ['tools', 'bucket', 'inspect'],
    summary: 'Inspect all blocks in the bucket in detailed, table-like way.',
    flags: withObjstore({
      selector: { type: 'string', short: 'l', multiple: true, placeholder: '<name>="<value>"', description: 'Selects blocks based on label, e.g. \'-l key1="value1" -l key2="value2"\'. All key value pairs must match.' },
      'sort-by': { type: 'string', multiple: true, default: [...DEFAULT_SORT], placeholder: '<column>', description: `Sort by columns, in turn (${INSPECT_COLUMNS.join(', ')}).` },
      output: { type: 'string', default: 'table', placeholder: '<format>', description: 'Output format for result: table, csv, tsv or json.' },
      timeout: timeoutSpec,
    }),
    async run(flags, _pos, io) {
      const selector = parseFlagLabels(stringsFlag(flags, 'selector'), 'selector');
      const sortBy = stringsFlag(flags, 'sort-by');
      for (const c of sortBy) if (!(INSPECT_COLUMNS as readonly string[]).includes(c)) throw new ConfigError(`flag --sort-by: unknown column ${JSON.stringify(c)}; one of ${INSPECT_COLUMNS.join(', ')}`);
      const output = stringFlag(flags, 'output') ?? 'table';
      if (!['table', 'csv', 'tsv', 'json'].includes(output)) throw new ConfigError(`flag --output: unsupported format ${JSON.stringify(output)}; use table, csv, tsv or json`);
      const signal = timeoutSignal(io.signal, durationFlag(flags, 'timeout'));
      return withBucket(flags, async (bkt) => {
        const bar = new ProgressBar(io.stderr, 'loading block metas');
        let res;
        try { res = await new MetaFetcher({ bucket: metaProgressReader(bkt, bar) }).fetch(signal); } finally { bar.done(); }
        const rows = inspectRows(res.metas.values(), selector, sortBy as InspectColumn[]);
        if (output === 'json') await write(io.stdout, JSON.stringify(rows.map(inspectJson), null, 2) + '\n');
        else {
          const t = inspectTable(rows);
          await write(io.stdout, output === 'csv' ? renderCsv(t) : output === 'tsv' ? renderTsv(t) : renderTable(t));
        }
        return 0;
      });
    },
  },
];
