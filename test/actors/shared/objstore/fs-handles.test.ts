// Kept-open read handles of the FILESYSTEM bucket: bounded, only for immutable block files, never stale
// after this bucket deletes or replaces an object, all released by close().
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Registry } from 'prom-client';
import type { ObjstoreConfig } from '../../../../actors/shared/objstore/config.js';
import { createBucket } from '../../../../actors/shared/objstore/factory.js';
import { FilesystemBucket } from '../../../../actors/shared/objstore/filesystem.js';
import { HandleCache, keepsHandle } from '../../../../actors/shared/objstore/fs-handles.js';

const ID = '01HAAAAAAAAAAAAAAAAAAAAAAA';
const fds = async () => (await readdir('/proc/self/fd')).length;
const text = (b: Uint8Array) => Buffer.from(b).toString();

t.test('which names keep a handle', async (t) => {
  t.ok(keepsHandle(`${ID}/index`));
  t.ok(keepsHandle(`${ID}/chunks/000001`));
  t.notOk(keepsHandle(`${ID}/meta.json`), 'meta.json is rewritten');
  t.notOk(keepsHandle(`${ID}/deletion-mark.json`));
  t.notOk(keepsHandle('a/index'), 'not a block directory');
  t.ok(keepsHandle(`some/prefix/${ID}/index`), 'under a bucket prefix too');
  t.notOk(keepsHandle(`x${ID}/index`));
});

t.test('block reads reuse one handle per file; deletes and re-uploads are never stale; close releases', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fs-handles-'));
  const b = new FilesystemBucket({ directory: dir });
  await b.upload(`${ID}/index`, Buffer.from('0123456789'));
  await b.upload(`${ID}/chunks/000001`, Buffer.from('abcdefghij'));
  await b.upload(`${ID}/meta.json`, Buffer.from('{"v":1}'));
  const before = await fds();
  for (let i = 0; i < 20; i++) {
    t.equal(text(await b.getRange(`${ID}/index`, 2, 3)), '234');
    t.equal(text(await b.getRange(`${ID}/chunks/000001`, 5, 5)), 'fghij');
    t.equal(text(await b.getRange(`${ID}/meta.json`, 0, 4)), '{"v"');
  }
  t.equal(b.openHandles, 2, 'one handle per block file, none for meta.json');
  t.equal(await fds(), before + 2, 'two descriptors held, not one per read');
  await b.upload(`${ID}/index`, Buffer.from('ABCDEFGHIJ'));
  t.equal(text(await b.getRange(`${ID}/index`, 2, 3)), 'CDE', 'a replaced object is read anew');
  await b.delete(`${ID}/chunks/000001`);
  await t.rejects(b.getRange(`${ID}/chunks/000001`, 0, 1), { name: 'ObjectNotFoundError' }, 'a deleted object is gone, not served from an old handle');
  await t.rejects(b.getRange(`${ID}/chunks/000002`, 0, 1), { name: 'ObjectNotFoundError' });
  t.equal(b.openHandles, 1, 'failed opens are not kept');
  await b.close();
  t.equal(b.openHandles, 0);
  t.equal(await fds(), before, 'close released every descriptor');
  t.equal(text(await b.getRange(`${ID}/index`, 0, 1)), 'A', 'usable after close (reopens)');
  await b.close();
});

t.test('athanor_objstore_fs_open_handles reports the kept-open handles of a FILESYSTEM bucket from the factory', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fs-handles-'));
  const registry = new Registry();
  const b = createBucket({ type: 'FILESYSTEM', config: { directory: dir }, prefix: 'p' } as ObjstoreConfig, { registry });
  await b.upload(`${ID}/index`, Buffer.from('0123456789'));
  await b.getRange(`${ID}/index`, 0, 2);
  const text = await registry.getSingleMetricAsString('athanor_objstore_fs_open_handles');
  t.match(text, /athanor_objstore_fs_open_handles\{bucket="[^"]+"\} 1/, 'one handle, under a bucket prefix');
  await b.close();
  t.match(await registry.getSingleMetricAsString('athanor_objstore_fs_open_handles'), /\} 0/);
});

t.test('the cache is bounded and never closes a handle in use', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fs-handles-'));
  const files = await Promise.all([0, 1, 2, 3].map(async (i) => { const f = join(dir, `f${i}`); await writeFile(f, `file${i}`); return f; }));
  const c = new HandleCache(2, 60_000);
  let release!: () => void;
  const held = c.use(files[0]!, async (fh) => { await new Promise<void>((r) => { release = r; }); return (await fh.read(Buffer.alloc(5), 0, 5, 0)).bytesRead; });
  await new Promise((r) => setTimeout(r, 20));
  for (const f of files.slice(1)) await c.use(f, async (fh) => (await fh.stat()).size);
  t.ok(c.size <= 3, `bounded (${c.size})`);
  t.ok(c.size >= 2, 'the handle in use was kept');
  release();
  t.equal(await held, 5, 'the read in flight completed on its handle');
  await c.use(files[1]!, async () => undefined);
  t.ok(c.size <= 2, `back within the bound once idle (${c.size})`);
  await c.close();
  t.equal(c.size, 0);
});
