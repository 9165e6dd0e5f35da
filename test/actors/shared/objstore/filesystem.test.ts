import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FilesystemBucket } from '../../../../actors/shared/objstore/filesystem.js';
import { describeBucket } from './bucket.contract.js';

describeBucket(t, 'FILESYSTEM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-bucket-'));
  return { bucket: new FilesystemBucket({ directory: dir }), done: async () => rmSync(dir, { recursive: true, force: true }) };
});
