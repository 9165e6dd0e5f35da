// A minimal HttpRequest for handler tests (no socket).
import type { IncomingMessage } from 'node:http';
import type { HttpRequest } from '../../../../../runtime/http/types.js';

export function fakeRequest(method: string, pathAndQuery: string, body = '', contentType = 'application/x-www-form-urlencoded', signal = new AbortController().signal): HttpRequest {
  const url = new URL(pathAndQuery, 'http://localhost');
  const buf = Buffer.from(body, 'utf8');
  return {
    method, path: decodeURIComponent(url.pathname), url, query: url.searchParams,
    headers: body === '' ? {} : { 'content-type': contentType, 'content-length': String(buf.length) },
    signal,
    body: async () => buf,
    text: async () => body,
    params: async () => url.searchParams,
    raw: {} as IncomingMessage,
  };
}
