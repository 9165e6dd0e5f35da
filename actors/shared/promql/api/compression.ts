/**
 * Response compression as Prometheus 2.42's `httputil.CompressionHandler`: the first of `gzip` /
 * `deflate` (zlib format) named in `Accept-Encoding` (comma-separated, trimmed, no q-values) wins;
 * otherwise the body is sent as is. Streamed bodies are compressed as a stream. Responses without a
 * body are untouched.
 */
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createDeflate, createGzip, deflate, gzip } from 'node:zlib';
import type { HttpResponse } from '../../../../runtime/http/types.js';

const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

/** The encoding 2.42 would pick for this Accept-Encoding header value, if any. */
export function pickEncoding(acceptEncoding: string | string[] | undefined): 'gzip' | 'deflate' | undefined {
  const h = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding ?? '';
  for (const e of h.split(',')) {
    const x = e.trim();
    if (x === 'gzip' || x === 'deflate') return x;
  }
  return undefined;
}

/** `res` compressed for `acceptEncoding` (headers gain `content-encoding`). */
export async function compressResponse(res: HttpResponse, acceptEncoding: string | string[] | undefined): Promise<HttpResponse> {
  const enc = pickEncoding(acceptEncoding);
  if (enc === undefined) return res;
  if (res.stream !== undefined) {
    const z = enc === 'gzip' ? createGzip() : createDeflate();
    return { ...res, headers: { ...res.headers, 'content-encoding': enc }, stream: Readable.from(res.stream).pipe(z) };
  }
  if (res.body === undefined) return res;
  const raw = typeof res.body === 'string' ? Buffer.from(res.body, 'utf8') : res.body;
  const body = enc === 'gzip' ? await gzipAsync(raw) : await deflateAsync(raw);
  return { ...res, headers: { ...res.headers, 'content-encoding': enc }, body };
}
