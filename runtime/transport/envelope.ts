import { decode, encode } from '../codec/codec.js';
import { expectInt, expectKind, expectNumber, expectString } from '../codec/validate.js';
import { fromWire, isWireError, toWire, type CodedError } from '../errors/coded-error.js';
import { DecodeError } from '../errors/runtime-errors.js';

/**
 * Request/reply envelopes, identical on every transport (msgpack, `kind`-tagged):
 *
 *   request  { kind: 'req', deadlineMs, body }
 *   reply    { kind: 'ok', body } | { kind: 'err', error: WireError }
 *
 * Published messages carry the encoded value itself, without an envelope.
 */
export interface RequestEnvelope {
  readonly deadlineMs: number;
  readonly body: unknown;
}

export function encodeRequest(body: unknown, deadlineMs: number): Uint8Array {
  return encode({ kind: 'req', deadlineMs, body });
}

export function decodeRequest(bytes: Uint8Array, subject: string): RequestEnvelope {
  const what = `request on ${subject}`;
  const o = expectKind(decode(bytes, what), ['req'], what);
  return { deadlineMs: expectNumber(o, 'deadlineMs', what), body: o.body };
}

export function encodeReplyOk(body: unknown): Uint8Array {
  return encode({ kind: 'ok', body });
}

export function encodeReplyErr(err: unknown): Uint8Array {
  return encode({ kind: 'err', error: toWire(err) });
}

export type Reply = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly error: CodedError };

/** Decodes a reply; an `err` reply is rebuilt as its registered error class. */
export function decodeReply(bytes: Uint8Array, subject: string): Reply {
  const what = `reply from ${subject}`;
  const o = expectKind(decode(bytes, what), ['ok', 'err'], what);
  if (o.kind === 'ok') return { ok: true, body: o.body };
  if (!isWireError(o.error)) throw new DecodeError(`decoding ${what}: field "error" is not a wire error`, { data: { what } });
  return { ok: false, error: fromWire(o.error) };
}

/** The body of a stream-opening request. */
export interface StreamOpen {
  /** Consumer's private inbox: frames go here. */
  readonly inbox: string;
  /** Initial credit in frames. */
  readonly window: number;
  readonly stallTimeoutMs: number;
  readonly body: unknown;
  /** The consumer accepts the whole stream as the open request's reply when it is small (stream-inline). */
  readonly inline?: boolean;
}

export const MAX_WINDOW = 4096;
export const MAX_STALL_TIMEOUT_MS = 3_600_000;

export function streamOpenMessage(open: StreamOpen): Record<string, unknown> {
  const m: Record<string, unknown> = { kind: 'stream-open', inbox: open.inbox, window: open.window, stallTimeoutMs: open.stallTimeoutMs, body: open.body };
  if (open.inline === true) m.inline = true;
  return m;
}

export function parseStreamOpen(x: unknown, subject: string): StreamOpen {
  const what = `stream open on ${subject}`;
  const o = expectKind(x, ['stream-open'], what);
  const window = expectInt(o, 'window', what, MAX_WINDOW);
  if (window < 1) throw new DecodeError(`decoding ${what}: window must be at least 1`, { data: { what } });
  const stallTimeoutMs = expectInt(o, 'stallTimeoutMs', what, MAX_STALL_TIMEOUT_MS);
  if (o.inline !== undefined && typeof o.inline !== 'boolean') throw new DecodeError(`decoding ${what}: field "inline" must be a boolean`, { data: { what } });
  return { inbox: expectString(o, 'inbox', what), window, stallTimeoutMs: Math.max(1, stallTimeoutMs), body: o.body, inline: o.inline === true };
}

/** The producer's answer: where to send credit and cancel. */
export function streamAcceptMessage(control: string): Record<string, unknown> {
  return { kind: 'stream-accept', control };
}

/** The producer's whole answer in one reply: every frame, the last one an end or error frame. */
export function streamInlineMessage(frames: readonly Uint8Array[]): Record<string, unknown> {
  return { kind: 'stream-inline', frames };
}

/** A stream open's reply: where to send credit and cancel, or the whole stream inline. */
export type StreamReply = { readonly kind: 'accept'; readonly control: string } | { readonly kind: 'inline'; readonly frames: readonly Uint8Array[] };

export function parseStreamReply(x: unknown, subject: string): StreamReply {
  const what = `stream accept from ${subject}`;
  const o = expectKind(x, ['stream-accept', 'stream-inline'], what);
  if (o.kind === 'stream-accept') return { kind: 'accept', control: expectString(o, 'control', what) };
  const frames = o.frames;
  if (!Array.isArray(frames) || frames.length === 0 || !frames.every((f) => f instanceof Uint8Array)) {
    throw new DecodeError(`decoding ${what}: field "frames" must be a non-empty list of byte strings`, { data: { what } });
  }
  return { kind: 'inline', frames: frames as Uint8Array[] };
}
