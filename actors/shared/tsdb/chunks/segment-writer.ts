import { open, type FileHandle } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteWriter } from '../bytes/writer.js';
import { chunkRef, DEFAULT_SEGMENT_SIZE, RECORD_OVERHEAD, SEGMENT_HEADER_SIZE, segmentFileName, type ChunkRef, type StoredChunk } from './format.js';
import { writeChunkRecord, writeSegmentHeader } from './record.js';

export interface ChunkSegmentWriterOptions {
  /** Segment size limit in bytes (default 512 MiB, as Prometheus). */
  readonly segmentSize?: number;
  /** Buffered bytes before a write to disk (default 4 MiB). */
  readonly flushBytes?: number;
}

/**
 * Writes chunk segment files `000001, 000002, …` into a (fresh) `chunks/` directory exactly as
 * Prometheus 2.42's `chunks.Writer` lays them out, so refs and file boundaries match for the same
 * sequence of `writeChunks` calls (one call per series, as the block writer does):
 * a batch budgets 5+1+4 bytes per chunk besides its data; a new segment is cut when the batch would
 * not fit, but never before a segment's first chunk, so one huge chunk can exceed the size.
 * Refs are 0-based position of the file among this writer's files << 32 | record offset.
 */
export class ChunkSegmentWriter {
  private fh: FileHandle | undefined;
  private readonly buf = new ByteWriter(1 << 16);
  /** Bytes in the current segment (written + buffered); 0 before the first segment. */
  private n = 0;
  private seq = -1;
  private readonly segmentSize: number;
  private readonly flushBytes: number;
  private readonly files: string[] = [];

  constructor(readonly dir: string, opts: ChunkSegmentWriterOptions = {}) {
    this.segmentSize = opts.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    this.flushBytes = opts.flushBytes ?? 4 << 20;
  }

  /** Paths of the segment files written so far. */
  get segmentFiles(): readonly string[] { return this.files; }

  /** Writes the chunks of one series; returns their refs in order. */
  async writeChunks(chunks: readonly StoredChunk[]): Promise<ChunkRef[]> {
    // Split into batches exactly like Prometheus.
    const batches: StoredChunk[][] = [[]];
    let batchSize = 0, firstBatch = true;
    for (let i = 0; i < chunks.length; i++) {
      const size = RECORD_OVERHEAD + chunks[i]!.data.length;
      batchSize += size;
      let cut = i !== 0 && batchSize + SEGMENT_HEADER_SIZE > this.segmentSize;
      if (firstBatch && this.n > SEGMENT_HEADER_SIZE) {
        cut = batchSize + this.n > this.segmentSize;
        if (cut) firstBatch = false;
      }
      if (cut) { batches.push([]); batchSize = size; }
      batches[batches.length - 1]!.push(chunks[i]!);
    }
    if (this.n === 0) await this.cut();
    const refs: ChunkRef[] = [];
    for (let b = 0; b < batches.length; b++) {
      for (const c of batches[b]!) {
        const at = this.n;
        const before = this.buf.length;
        writeChunkRecord(this.buf, c.encoding, c.data);
        this.n += this.buf.length - before;
        refs.push(chunkRef(this.seq, at));
      }
      if (this.buf.length >= this.flushBytes) await this.flush();
      if (b < batches.length - 1) await this.cut();
    }
    return refs;
  }

  private async flush(): Promise<void> {
    if (this.fh === undefined || this.buf.length === 0) return;
    const data = this.buf.finish();
    let done = 0;
    while (done < data.length) done += (await this.fh.write(data, done, data.length - done)).bytesWritten;
    this.buf.reset();
  }

  private async finalizeTail(): Promise<void> {
    if (this.fh === undefined) return;
    await this.flush();
    await this.fh.sync();
    await this.fh.close();
    this.fh = undefined;
  }

  private async cut(): Promise<void> {
    await this.finalizeTail();
    if (this.seq === -1) await mkdir(this.dir, { recursive: true });
    this.seq++;
    const path = join(this.dir, segmentFileName(this.seq));
    this.fh = await open(path, 'wx');
    this.files.push(path);
    writeSegmentHeader(this.buf);
    this.n = SEGMENT_HEADER_SIZE;
  }

  /** Flushes, fsyncs and closes the last segment. Idempotent. */
  async close(): Promise<void> { await this.finalizeTail(); }
}
