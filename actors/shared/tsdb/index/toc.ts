import { ByteReader } from '../bytes/reader.js';
import type { ByteWriter } from '../bytes/writer.js';
import { crc32c, storedCrc } from '../bytes/crc32c.js';
import { corruptIndex } from './errors.js';
import { INDEX_TOC_LEN } from './format.js';

/** Start offsets of the index sections (0 = absent). */
export interface IndexToc {
  readonly symbols: number;
  readonly series: number;
  readonly labelIndices: number;
  readonly labelIndicesTable: number;
  readonly postings: number;
  readonly postingsTable: number;
}

/** Decodes the 52-byte TOC found at `base` (= file size − 52), verifying its CRC32C. */
export function decodeToc(buf: Uint8Array, file: string, base: number): IndexToc {
  if (buf.length !== INDEX_TOC_LEN) throw corruptIndex(file, base, `reading toc: got ${buf.length} bytes`);
  const crc = crc32c(buf.subarray(0, INDEX_TOC_LEN - 4));
  if (crc !== storedCrc(buf, INDEX_TOC_LEN - 4)) throw corruptIndex(file, base + INDEX_TOC_LEN - 4, 'reading toc: crc32c mismatch');
  const r = new ByteReader(buf, file, base);
  return {
    symbols: r.be64(), series: r.be64(), labelIndices: r.be64(),
    labelIndicesTable: r.be64(), postings: r.be64(), postingsTable: r.be64(),
  };
}

export function encodeToc(w: ByteWriter, toc: IndexToc): void {
  const start = w.length;
  w.be64(toc.symbols); w.be64(toc.series); w.be64(toc.labelIndices);
  w.be64(toc.labelIndicesTable); w.be64(toc.postings); w.be64(toc.postingsTable);
  w.be32(crc32c(w.view(start)));
}
