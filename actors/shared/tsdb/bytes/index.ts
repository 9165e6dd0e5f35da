export { CorruptError, corrupt, isCorruptError } from './errors.js';
export { crc32c, crc32cRange, storedCrc } from './crc32c.js';
export { ByteReader } from './reader.js';
export { ByteWriter } from './writer.js';
export { type ByteSource, memorySource, fileSource, readerAt, readAll, checkRange } from './source.js';
