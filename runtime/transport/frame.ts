import { StreamBrokenError } from '../errors/runtime-errors.js';

/**
 * Binary stream frames (see docs/subjects.md). Producer → consumer frames go to the consumer's
 * private inbox; control messages go to the producer's private control subject.
 *
 *   data   [1][seq u32]                                   body = one or more encoded values, concatenated
 *   part   [2][seq u32][index u32][count u32][total u32]  body = bytes [offset, offset+len) of a value
 *   end    [3][seq u32]                                   no body
 *   error  [4][seq u32]                                   body = encoded WireError
 *   credit [16][frames u32][bytes f64]                    consumer released `frames` frames of `bytes`
 *   cancel [17]                                           consumer gives up; producer stops
 *
 * All integers are big-endian. Sequence numbers start at 0 and count every producer frame.
 */
export const FrameKind = { data: 1, part: 2, end: 3, error: 4, credit: 16, cancel: 17 } as const;

export const DATA_HEADER_BYTES = 5;
export const PART_HEADER_BYTES = 17;

export type Frame =
  | { readonly kind: 'data'; readonly seq: number; readonly body: Uint8Array }
  | { readonly kind: 'part'; readonly seq: number; readonly index: number; readonly count: number; readonly total: number; readonly body: Uint8Array }
  | { readonly kind: 'end'; readonly seq: number }
  | { readonly kind: 'error'; readonly seq: number; readonly body: Uint8Array };

export type Control = { readonly kind: 'credit'; readonly frames: number; readonly bytes: number } | { readonly kind: 'cancel' };

function header(kind: number, seq: number, bodyLen: number, extra = 0): { buf: Uint8Array; view: DataView } {
  // allocUnsafe: every byte is written below, so skip zero-filling (frames are up to 1 MiB).
  const buf: Uint8Array = Buffer.allocUnsafe(DATA_HEADER_BYTES + extra + bodyLen);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  view.setUint8(0, kind);
  view.setUint32(1, seq >>> 0);
  return { buf, view };
}

/** A data frame carrying `values` (each one complete encoded value) back to back. */
export function encodeDataFrame(seq: number, values: Uint8Array | readonly Uint8Array[]): Uint8Array {
  const list = values instanceof Uint8Array ? [values] : values;
  let len = 0;
  for (const v of list) len += v.length;
  const { buf } = header(FrameKind.data, seq, len);
  let off = DATA_HEADER_BYTES;
  for (const v of list) { buf.set(v, off); off += v.length; }
  return buf;
}

export function encodePartFrame(seq: number, index: number, count: number, total: number, body: Uint8Array): Uint8Array {
  const { buf, view } = header(FrameKind.part, seq, body.length, PART_HEADER_BYTES - DATA_HEADER_BYTES);
  view.setUint32(5, index);
  view.setUint32(9, count);
  view.setUint32(13, total);
  buf.set(body, PART_HEADER_BYTES);
  return buf;
}

export function encodeEndFrame(seq: number): Uint8Array {
  return header(FrameKind.end, seq, 0).buf;
}

export function encodeErrorFrame(seq: number, body: Uint8Array): Uint8Array {
  const { buf } = header(FrameKind.error, seq, body.length);
  buf.set(body, DATA_HEADER_BYTES);
  return buf;
}

export function encodeCredit(frames: number, bytes: number): Uint8Array {
  const buf = new Uint8Array(13);
  const view = new DataView(buf.buffer);
  view.setUint8(0, FrameKind.credit);
  view.setUint32(1, frames);
  view.setFloat64(5, bytes);
  return buf;
}

export function encodeCancel(): Uint8Array {
  return Uint8Array.of(FrameKind.cancel);
}

function broken(what: string, detail: string): Error {
  return new StreamBrokenError(`decoding ${what}: ${detail}`, { data: { what } });
}

/** Parses a producer frame; malformed frames throw StreamBrokenError. Bodies are views, not copies. */
export function decodeFrame(bytes: Uint8Array, what: string): Frame {
  if (bytes.length < DATA_HEADER_BYTES) throw broken(what, `frame of ${bytes.length} bytes is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint8(0);
  const seq = view.getUint32(1);
  switch (kind) {
    case FrameKind.data: return { kind: 'data', seq, body: bytes.subarray(DATA_HEADER_BYTES) };
    case FrameKind.end:
      if (bytes.length !== DATA_HEADER_BYTES) throw broken(what, 'end frame carries a body');
      return { kind: 'end', seq };
    case FrameKind.error: return { kind: 'error', seq, body: bytes.subarray(DATA_HEADER_BYTES) };
    case FrameKind.part: {
      if (bytes.length < PART_HEADER_BYTES) throw broken(what, `part frame of ${bytes.length} bytes is shorter than its header`);
      const index = view.getUint32(5);
      const count = view.getUint32(9);
      const total = view.getUint32(13);
      if (count < 2 || index >= count) throw broken(what, `part ${index} of ${count} is not a valid split`);
      return { kind: 'part', seq, index, count, total, body: bytes.subarray(PART_HEADER_BYTES) };
    }
    default: throw broken(what, `unknown frame kind ${kind}`);
  }
}

/** Parses a consumer control message; malformed messages throw StreamBrokenError. */
export function decodeControl(bytes: Uint8Array, what: string): Control {
  if (bytes.length === 1 && bytes[0] === FrameKind.cancel) return { kind: 'cancel' };
  if (bytes.length === 13 && bytes[0] === FrameKind.credit) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const frames = view.getUint32(1);
    const b = view.getFloat64(5);
    if (Number.isFinite(b) && b >= 0) return { kind: 'credit', frames, bytes: b };
  }
  throw broken(what, `malformed control message of ${bytes.length} bytes`);
}
