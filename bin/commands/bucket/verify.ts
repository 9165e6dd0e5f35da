import type { Command } from '../../../runtime/cli/command.js';
import { stringsFlag } from '../../../runtime/cli/command.js';
import { ConfigError } from '../../../runtime/errors/runtime-errors.js';
import { MetaFetcher } from '../../../actors/shared/block/fetcher.js';
import { ignoreDeletionMarkFilter } from '../../../actors/shared/block/filters.js';
import { VerifyIssuesError } from '../../../actors/shared/block/tools/errors.js';
import { ProgressBar } from '../../../actors/shared/block/tools/progress.js';
import { ISSUES, verifyBlocks, type IssueId } from '../../../actors/shared/block/tools/verify.js';
import { blockIds, withBucket, withObjstore, write } from './common.js';

/** `tools bucket verify`: prints each issue as `<block> <issue>: <message>`; exit 1 when any is found. */
export const verifyCommand: Command = {
  path: ['tools', 'bucket', 'verify'],
  summary: 'Verify all blocks in the bucket against specified issues (overlaps, missing files, size mismatches, index problems).',
  flags: withObjstore({
    issues: { type: 'string', short: 'i', multiple: true, default: [...ISSUES], placeholder: '<issue>', description: `Issues to verify: ${ISSUES.join(', ')}. Repair is not supported.` },
    id: { type: 'string', multiple: true, placeholder: '<ulid>', description: 'Block IDs to verify only. If none is specified, all blocks will be verified. Repeated field' },
  }),
  async run(flags, _pos, io) {
    const issues = stringsFlag(flags, 'issues');
    for (const i of issues) if (!(ISSUES as readonly string[]).includes(i)) throw new ConfigError(`flag --issues: unknown issue ${JSON.stringify(i)}; one of ${ISSUES.join(', ')}`);
    const ids = new Set(blockIds(stringsFlag(flags, 'id')));
    return withBucket(flags, async (bkt) => {
      // Blocks marked for deletion are skipped, as Thanos's verify does.
      const res = await new MetaFetcher({ bucket: bkt, filters: [ignoreDeletionMarkFilter(0)] }).fetch(io.signal);
      const metas = [...res.metas.values()].filter((m) => ids.size === 0 || ids.has(m.ulid));
      const bar = new ProgressBar(io.stderr, 'verifying blocks');
      let found;
      try {
        found = await verifyBlocks(bkt, metas, { issues: issues as IssueId[], signal: io.signal, onBlock: (d, n) => bar.update(d, n) });
      } finally { bar.done(); }
      for (const [id, err] of res.failed) {
        if (ids.size === 0 || ids.has(id)) found.push({ block: id, issue: 'block_files', message: `meta.json unreadable: ${err.message}` });
      }
      for (const f of found) await write(io.stdout, `${f.block} ${f.issue}: ${f.message}\n`);
      const blocks = new Set(found.map((f) => f.block)).size;
      await write(io.stdout, `verified ${metas.length} blocks: ${found.length} issues in ${blocks} blocks\n`);
      if (found.length > 0) throw new VerifyIssuesError(`found ${found.length} issues in ${blocks} of ${metas.length} blocks`, { data: { issues: found.length, blocks } });
      return 0;
    });
  },
};
