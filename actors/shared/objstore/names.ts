import { compareUtf8 } from '../labels/labels.js';
import { InvalidObjectNameError, InvalidRangeError } from './errors.js';

/** The directory delimiter of object names. */
export const DIR_DELIM = '/';

function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.includes('\0')) return 'contains NUL';
  if (name.startsWith('/')) return 'is absolute';
  if (name.endsWith('/')) return 'ends with "/" (a directory, not an object)';
  if (name.includes('\\')) return 'contains "\\"';
  for (const seg of name.split('/')) {
    if (seg === '') return 'has an empty segment';
    if (seg === '.' || seg === '..') return `has a "${seg}" segment`;
  }
  return undefined;
}

/** Throws InvalidObjectNameError unless `name` is a valid object name (see BucketReader). */
export function checkName(op: string, name: string): void {
  if (typeof name !== 'string') throw new InvalidObjectNameError(`${op}: object name is not a string`, { data: { op } });
  const p = nameProblem(name);
  if (p !== undefined) throw new InvalidObjectNameError(`${op} ${JSON.stringify(name)}: object name ${p}`, { data: { op, name } });
}

/** Normalises an iter directory: '' stays '', 'a' and 'a/' become 'a/'. Throws on invalid names. */
export function normalizeDir(dir: string): string {
  if (dir === '' || dir === '/') return '';
  const trimmed = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  checkName('iter', trimmed);
  return trimmed + '/';
}

/** Orders object names by UTF-8 bytes, as S3 lists them. */
export const compareNames = compareUtf8;

/** Throws InvalidRangeError unless offset/length are usable (the size check happens per provider). */
export function checkRange(name: string, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidRangeError(`get_range ${JSON.stringify(name)}: offset ${offset} is not a non-negative integer`, { data: { name, offset, length } });
  }
  if (!Number.isSafeInteger(length) || length < 1) {
    throw new InvalidRangeError(`get_range ${JSON.stringify(name)}: length ${length} is not a positive integer`, { data: { name, offset, length } });
  }
}

/** The error for an offset at or past the end of an object of `size` bytes. */
export function rangePastEnd(name: string, offset: number, size: number): InvalidRangeError {
  return new InvalidRangeError(`get_range ${JSON.stringify(name)}: offset ${offset} is at or past the object's end (size ${size})`, { data: { name, offset, size } });
}

/** `<block>/chunks/<digits>`: a TSDB chunk segment file (the caching bucket's chunk matcher). */
export function isChunkFile(name: string): boolean {
  return /^.+\/chunks\/\d+$/.test(name);
}

/** `<block>/meta.json` or `<block>/deletion-mark.json`: small files the caching bucket caches whole. */
export function isMetaFile(name: string): boolean {
  return name.endsWith('/meta.json') || name.endsWith('/deletion-mark.json');
}
