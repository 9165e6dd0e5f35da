import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError } from '../errors/runtime-errors.js';

/** Reads a request body up to `limit` bytes; more is PayloadTooLargeError and reading stops. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(req, limit, declared);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      req.pause();
      throw tooLarge(req, limit, size);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(req: IncomingMessage, limit: number, seen: number): Error {
  return new PayloadTooLargeError(`reading body of ${req.method ?? '?'} ${req.url ?? '?'}: more than ${limit} bytes`, { data: { limitBytes: limit, bytes: seen } });
}
