import { decodeTime, isValid } from 'ulid';

/** Whether `name` is a block ULID as Thanos's IsBlockDir accepts it (26 chars, valid alphabet, time fits 48 bits). */
export function isBlockId(name: string): boolean {
  return name.length === 26 && isValid(name) && name[0]! <= '7';
}

/** Milliseconds encoded in a block ULID. */
export function ulidTimeMs(id: string): number {
  return decodeTime(id);
}
