import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Bucket } from '../../../../actors/shared/objstore/bucket.js';
import { collect } from '../../../../actors/shared/objstore/body.js';

import type { Test } from 'tap';

/** Makes a fresh, empty bucket for one subtest; `done` releases it. */
export type MakeBucket = () => Promise<{ bucket: Bucket; done?: () => Promise<void> }>;

const enc = new TextEncoder();
const text = (u8: Uint8Array): string => Buffer.from(u8).toString('utf8');
const bytes = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

async function all(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * The Bucket acceptance suite: every provider and wrapper must pass it unchanged.
 * `opts.many` sets how many objects the pagination case writes (default 1100, above S3's 1000 page).
 */
export function describeBucket(t: Test, name: string, make: MakeBucket, opts: { many?: number } = {}): void {
  const it = (title: string, fn: (b: Bucket, tt: Test) => Promise<void>): void => {
    void t.test(`${name} - ${title}`, async (tt) => {
      const { bucket, done } = await make();
      try { await fn(bucket, tt); } finally { await bucket.close(); await done?.(); }
    });
  };

  it('upload then get returns the same bytes; exists and attributes see it', async (b, tt) => {
    const data = bytes(3000);
    await b.upload('01A/chunks/000001', data);
    tt.ok(Buffer.from(await collect(await b.get('01A/chunks/000001'))).equals(data), 'same bytes');
    tt.equal(await b.exists('01A/chunks/000001'), true);
    tt.equal(await b.exists('01A/chunks'), false, 'a directory is not an object');
    const a = await b.attributes('01A/chunks/000001');
    tt.equal(a.size, 3000);
    tt.ok(a.lastModified instanceof Date && !Number.isNaN(a.lastModified.getTime()));
  });

  it('upload accepts bytes, streams and files; empty objects work', async (b, tt) => {
    const dir = mkdtempSync(join(tmpdir(), 'bucket-contract-'));
    try {
      const file = join(dir, 'f');
      writeFileSync(file, 'from a file');
      await b.upload('x/file', { filePath: file });
      await b.upload('x/stream', Readable.from([enc.encode('from '), enc.encode('a stream')]));
      await b.upload('x/empty', new Uint8Array(0));
      tt.equal(text(await collect(await b.get('x/file'))), 'from a file');
      tt.equal(text(await collect(await b.get('x/stream'))), 'from a stream');
      tt.equal((await collect(await b.get('x/empty'))).byteLength, 0);
      tt.equal((await b.attributes('x/empty')).size, 0);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('an upload in progress is invisible; a replaced object is old or new, never partial', async (b, tt) => {
    await b.upload('p/obj', enc.encode('old content'));
    const body = new PassThrough();
    const up = b.upload('p/new', body);
    const up2 = b.upload('p/obj', Readable.from((async function* () { yield enc.encode('new '); yield enc.encode('content!'); })()));
    body.write(bytes(70_000));
    await new Promise((r) => setImmediate(r));
    tt.equal(await b.exists('p/new'), false, 'not visible before the body ends');
    const seen = text(await collect(await b.get('p/obj')));
    tt.ok(seen === 'old content' || seen === 'new content!', `old or new, got ${JSON.stringify(seen)}`);
    body.end(bytes(10));
    await up;
    await up2;
    tt.equal((await b.attributes('p/new')).size, 70_010);
    tt.equal(text(await collect(await b.get('p/obj'))), 'new content!');
  });

  it('upload is idempotent and replaces content', async (b, tt) => {
    await b.upload('a/meta.json', enc.encode('{"v":1}'));
    await b.upload('a/meta.json', enc.encode('{"v":1}'));
    tt.equal(text(await collect(await b.get('a/meta.json'))), '{"v":1}');
    await b.upload('a/meta.json', enc.encode('{"v":22}'));
    tt.equal(text(await collect(await b.get('a/meta.json'))), '{"v":22}');
    tt.equal((await b.attributes('a/meta.json')).size, 8);
    tt.same(await all(b.iter('a')), ['a/meta.json']);
  });

  it('missing objects: not-found errors, exists false', async (b, tt) => {
    await b.upload('present', enc.encode('x'));
    const nf = { code: 'OBJSTORE_NOT_FOUND', retryable: false };
    await tt.rejects(b.get('missing'), nf);
    await tt.rejects(b.getRange('missing', 0, 10), nf);
    await tt.rejects(b.attributes('missing'), nf);
    await tt.rejects(b.delete('missing'), nf);
    tt.equal(await b.exists('missing'), false);
    tt.equal(await b.exists('present'), true);
  });

  for (const [obj, one] of [['r/obj', 'r/one'], ['r/chunks/000001', 'r/chunks/000002']] as const) {
    it(`getRange edge cases (${obj})`, async (b, tt) => {
      const data = bytes(100, 7);
      await b.upload(obj, data);
      await b.upload(one, Uint8Array.of(42));
      tt.same(await b.getRange(obj, 0, 1), data.subarray(0, 1), 'offset 0 length 1');
      tt.same(await b.getRange(obj, 0, 2), data.subarray(0, 2));
      tt.same(await b.getRange(obj, 5, 1), data.subarray(5, 6));
      tt.same(await b.getRange(obj, 10, 20), data.subarray(10, 30));
      tt.same(await b.getRange(obj, 99, 1), data.subarray(99), 'last byte');
      tt.same(await b.getRange(obj, 90, 50), data.subarray(90), 'past the end is a short read');
      tt.same(await b.getRange(obj, 0, 100), data, 'whole');
      tt.same(await b.getRange(one, 0, 1), Uint8Array.of(42), 'single-byte object');
      tt.same(await b.getRange(one, 0, 5), Uint8Array.of(42));
      const bad = { code: 'OBJSTORE_INVALID_RANGE', retryable: false };
      await tt.rejects(b.getRange(obj, 100, 1), bad, 'offset == size');
      await tt.rejects(b.getRange(obj, 150, 1), bad, 'offset > size');
      await tt.rejects(b.getRange(obj, 0, 0), bad, 'zero length');
      await tt.rejects(b.getRange(obj, -1, 5), bad, 'negative offset');
      await tt.rejects(b.getRange(obj, 1.5, 5), bad, 'fractional offset');
    });
  }

  it('iter lists one level sorted, dirs end with "/", recursive lists objects only', async (b, tt) => {
    const names = ['b/index', 'a-b', 'a/x/1', 'a/x/2', 'a/y', 'c', 'b/chunks/000002', 'b/chunks/000001', 'a.txt'];
    for (const n of names) await b.upload(n, enc.encode(n));
    tt.same(await all(b.iter('')), ['a-b', 'a.txt', 'a/', 'b/', 'c']);
    tt.same(await all(b.iter('a')), ['a/x/', 'a/y']);
    tt.same(await all(b.iter('a/')), ['a/x/', 'a/y'], "'a' and 'a/' list the same");
    tt.same(await all(b.iter('b/chunks')), ['b/chunks/000001', 'b/chunks/000002']);
    tt.same(await all(b.iter('', { recursive: true })), [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    tt.same(await all(b.iter('a', { recursive: true })), ['a/x/1', 'a/x/2', 'a/y']);
    tt.same(await all(b.iter('nope')), []);
    tt.same(await all(b.iter('nope', { recursive: true })), []);
  });

  it('delete removes the object and its now-empty directories', async (b, tt) => {
    await b.upload('d/sub/1', enc.encode('1'));
    await b.upload('d/2', enc.encode('2'));
    await b.delete('d/sub/1');
    tt.equal(await b.exists('d/sub/1'), false);
    tt.same(await all(b.iter('d')), ['d/2']);
    await b.delete('d/2');
    tt.same(await all(b.iter('')), []);
    await tt.rejects(b.delete('d/2'), { code: 'OBJSTORE_NOT_FOUND' });
  });

  it('unicode names round-trip and sort by UTF-8 bytes', async (b, tt) => {
    const names = ['ü/файл', 'z', 'ü/😀', 'ü/\uffee', 'é'];
    for (const n of names) await b.upload(n, enc.encode(n));
    for (const n of names) tt.equal(text(await collect(await b.get(n))), n);
    tt.same(await all(b.iter('')), ['z', 'é', 'ü/']);
    tt.same(await all(b.iter('ü')), ['ü/файл', 'ü/\uffee', 'ü/😀']);
  });

  it('invalid names are refused', async (b, tt) => {
    for (const n of ['', '/abs', '../up', 'a/../b', 'a//b', 'a/', 'nul\0x', './a']) {
      await tt.rejects(b.upload(n, enc.encode('x')), { code: 'OBJSTORE_INVALID_NAME' }, `upload ${JSON.stringify(n)}`);
      await tt.rejects(b.get(n), { code: 'OBJSTORE_INVALID_NAME' }, `get ${JSON.stringify(n)}`);
    }
  });

  it('listing more objects than one backend page', async (b, tt) => {
    const n = opts.many ?? 1100;
    const want: string[] = [];
    for (let i = 0; i < n; i++) want.push(`many/${String(i).padStart(5, '0')}`);
    for (let i = 0; i < n; i += 32) await Promise.all(want.slice(i, i + 32).map((k) => b.upload(k, enc.encode(k))));
    await b.upload('zz', enc.encode('z'));
    const got = await all(b.iter('many'));
    tt.equal(got.length, n);
    tt.same(got, want);
    tt.same(await all(b.iter('')), ['many/', 'zz']);
    tt.equal((await all(b.iter('', { recursive: true }))).length, n + 1);
  });

  it('an aborted signal cancels every operation', async (b, tt) => {
    await b.upload('ab/x', enc.encode('x'));
    const ctl = new AbortController();
    ctl.abort();
    const o = { signal: ctl.signal };
    const cancelled = { code: 'RT_CANCELLED' };
    await tt.rejects(b.get('ab/x', o), cancelled);
    await tt.rejects(b.getRange('ab/x', 0, 1, o), cancelled);
    await tt.rejects(b.exists('ab/x', o), cancelled);
    await tt.rejects(b.attributes('ab/x', o), cancelled);
    await tt.rejects(b.upload('ab/y', enc.encode('y'), o), cancelled);
    await tt.rejects(b.delete('ab/x', o), cancelled);
    await tt.rejects(all(b.iter('', o)), cancelled);
    tt.equal(await b.exists('ab/y'), false, 'a cancelled upload leaves nothing');
    tt.equal(await b.exists('ab/x'), true, 'a cancelled delete leaves the object');
  });

  it('aborting a get stream mid-read ends the stream with an error', async (b, tt) => {
    await b.upload('big', bytes(256 * 1024));
    const ctl = new AbortController();
    const r = await b.get('big', { signal: ctl.signal });
    const read = (async () => { for await (const _ of r) ctl.abort(); })();
    await tt.rejects(read);
  });
}
