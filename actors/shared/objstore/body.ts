import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { UploadBody } from './bucket.js';
import { linkStream } from './deadline.js';

/** True when the body names a local file. */
export function isFileBody(b: UploadBody): b is { readonly filePath: string } {
  return !(b instanceof Uint8Array) && !(b instanceof Readable) && typeof (b as { filePath?: unknown }).filePath === 'string';
}

/** True when `upload` may be attempted again with the same body (bytes or a file, not a stream). */
export function isReplayable(b: UploadBody): boolean {
  return b instanceof Uint8Array || isFileBody(b);
}

/** Reads a whole stream into one Uint8Array. */
export async function collect(stream: AsyncIterable<unknown>, signal?: AbortSignal): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    signal?.throwIfAborted();
    const u8 = typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Uint8Array;
    parts.push(u8);
    total += u8.byteLength;
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return out;
}

/** Reads an upload body whole (MEMORY provider, small S3 uploads). */
export async function bodyBytes(b: UploadBody, signal?: AbortSignal): Promise<Uint8Array> {
  if (b instanceof Uint8Array) return b;
  if (isFileBody(b)) return new Uint8Array(await readFile(b.filePath, { signal }));
  return collect(b, signal);
}

/** A fresh stream over an upload body. */
export function bodyStream(b: UploadBody): Readable {
  if (b instanceof Uint8Array) return Readable.from([b]);
  if (isFileBody(b)) return createReadStream(b.filePath);
  return b;
}

const STREAM_CHUNK = 64 * 1024;

/** A stream over bytes (in 64 KiB chunks) that errors with the abort reason when `signal` aborts. */
export function bytesStream(bytes: Uint8Array, signal?: AbortSignal): Readable {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength; at += STREAM_CHUNK) parts.push(bytes.subarray(at, at + STREAM_CHUNK));
  const r = Readable.from(parts, { objectMode: false });
  return linkStream(r, signal, 'read');
}
