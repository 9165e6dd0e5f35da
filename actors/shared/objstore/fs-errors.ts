import { ObjstoreError, notFound } from './errors.js';

const NOT_FOUND = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'EINTR']);

/** The errno code of a Node fs error, if any. */
export function errnoCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** Maps an fs error of `op` on `name` to ObjectNotFoundError or ObjstoreError (retryable if transient). */
export function fsError(op: string, name: string, file: string, e: unknown): Error {
  const code = errnoCode(e);
  if (code !== undefined && NOT_FOUND.has(code)) return notFound(op, name);
  if (e instanceof Error && e.name === 'AbortError') return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new ObjstoreError(`${op} ${JSON.stringify(name)}: ${msg} (file ${file})`, {
    cause: e, retryable: code !== undefined && TRANSIENT.has(code), data: { op, name, file, errno: code },
  });
}
