import { createReadStream } from 'node:fs';
import { OpenMetricsParser, type OmSample } from './parser.js';

/**
 * Streams an OpenMetrics file (or any byte stream) through the parser, yielding batches of samples
 * in input order. Throws OpenMetricsParseError at the first bad line; batches already yielded were
 * valid. Memory is bounded by the read chunk size (`highWaterMark`, default 1 MiB).
 */
export async function* readOpenMetrics(input: string | AsyncIterable<Uint8Array>, opts: { file?: string; highWaterMark?: number } = {}): AsyncGenerator<OmSample[]> {
  const file = opts.file ?? (typeof input === 'string' ? input : '<stream>');
  const src: AsyncIterable<Uint8Array> = typeof input === 'string' ? createReadStream(input, { highWaterMark: opts.highWaterMark ?? 1 << 20 }) : input;
  const p = new OpenMetricsParser(file);
  for await (const chunk of src) {
    const batch = p.write(chunk);
    if (batch.length) yield batch;
  }
  const last = p.end();
  if (last.length) yield last;
}

/** Reads a whole file into one array of samples (small inputs, tests). */
export async function parseOpenMetricsFile(path: string): Promise<OmSample[]> {
  const out: OmSample[] = [];
  for await (const b of readOpenMetrics(path)) for (const s of b) out.push(s);
  return out;
}
