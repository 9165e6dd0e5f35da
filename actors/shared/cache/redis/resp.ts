/**
 * RESP2, the redis wire protocol, as far as athanor's cache uses it: command encoding (an array of
 * bulk strings, binary safe) and an incremental reply parser. Pure (no I/O): the connection feeds
 * socket chunks in and takes typed replies out, in order, so pipelined replies need no framing of
 * their own and the parser can be fuzzed alone.
 */

/** The largest bulk string the parser accepts; a bigger `$` header is a protocol error. */
export const MAX_BULK_BYTES = 512 * 1024 * 1024;

/** The longest simple-string, error or header line the parser waits for before calling the stream broken. */
export const MAX_LINE_BYTES = 64 * 1024;

/** The most elements one array header may announce. */
export const MAX_ARRAY_LENGTH = 1 << 24;

/** The deepest nesting of arrays the parser follows. */
export const MAX_DEPTH = 32;

/** One reply (or array element) of the server. `null` bulk/array values are `$-1` / `*-1`. */
export type RespReply =
  | { readonly type: 'simple'; readonly value: string }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'bulk'; readonly value: Uint8Array | null }
  | { readonly type: 'array'; readonly items: readonly RespReply[] | null };

/** What `next` yields: a top-level reply, or `protocol_error` when the stream is broken (the connection must go). */
export type RespResult = RespReply | { readonly type: 'protocol_error'; readonly message: string };

const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * `*<n>\r\n` then `$<len>\r\n<bytes>\r\n` per argument. Strings are sent as UTF-8 (keys are ASCII);
 * Uint8Array arguments are copied verbatim, so values may hold any byte, CRLF included.
 */
export function encodeCommand(args: readonly (string | Uint8Array)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, CRLF);
  }
  return Buffer.concat(parts);
}

const INTEGER = /^-?\d{1,19}$/;

/**
 * Incremental parser of a reply stream. `push` bytes as they arrive, then call `next` until it
 * returns undefined (needs more bytes). It never throws on input: malformed bytes yield one
 * `protocol_error`, after which the parser stays failed (every `next` returns it). Memory is bounded
 * by the bytes pushed and not consumed yet (a bulk at most MAX_BULK_BYTES, a line at most
 * MAX_LINE_BYTES, arrays at most MAX_ARRAY_LENGTH long and MAX_DEPTH deep). Bulk values are fresh
 * copies the caller may keep. Each chunk is copied at most once more when a value spans chunks.
 */
export class RespParser {
  #chunks: Buffer[] = [];
  #len = 0;
  /** Open arrays, outermost first: their elements so far and how many are still to come. */
  #stack: Array<{ items: RespReply[]; left: number }> = [];
  /** The length of a bulk string whose header was read and whose body has not arrived yet. */
  #bulk: number | undefined;
  #failed: RespResult | undefined;

  /** Bytes received and not consumed yet. */
  get buffered(): number { return this.#len; }

  /** True while a reply has started and not been completed. */
  get midReply(): boolean { return this.#len > 0 || this.#stack.length > 0 || this.#bulk !== undefined; }

  push(chunk: Uint8Array): void {
    if (this.#failed !== undefined || chunk.byteLength === 0) return;
    this.#chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.#len += chunk.byteLength;
  }

  /** The next complete top-level reply, a sticky protocol error, or undefined when more bytes are needed. */
  next(): RespResult | undefined {
    if (this.#failed !== undefined) return this.#failed;
    for (;;) {
      const el = this.#element();
      if (el === undefined) return undefined;
      if ('failed' in el) return this.#fail(el.failed);
      let done: RespReply | undefined = el.reply;
      // Place the element into the open arrays; closing ones bubble up.
      while (done !== undefined) {
        const top = this.#stack[this.#stack.length - 1];
        if (top === undefined) return done;
        top.items.push(done);
        top.left--;
        if (top.left > 0) { done = undefined; break; }
        this.#stack.pop();
        done = { type: 'array', items: top.items };
      }
    }
  }

  /**
   * Reads one complete element: a scalar, a null or empty array. Array headers with elements are
   * pushed on the stack and reading goes on with their first element. Undefined when more bytes are
   * needed (the state so far is kept).
   */
  #element(): { reply: RespReply } | { failed: string } | undefined {
    for (;;) {
      if (this.#bulk !== undefined) {
        const n = this.#bulk;
        if (this.#len < n + 2) return undefined;
        const body = this.#take(n + 2);
        if (body[n] !== 0x0d || body[n + 1] !== 0x0a) return { failed: `bulk string of ${n} bytes not followed by CRLF` };
        this.#bulk = undefined;
        return { reply: { type: 'bulk', value: new Uint8Array(body.subarray(0, n)) } };
      }
      const nl = this.#indexOfNewline();
      if (nl < 0) return this.#len > MAX_LINE_BYTES ? { failed: `no line end within ${MAX_LINE_BYTES} bytes` } : undefined;
      if (nl + 1 > MAX_LINE_BYTES) return { failed: `reply line longer than ${MAX_LINE_BYTES} bytes` };
      const raw = this.#take(nl + 1);
      if (nl < 1 || raw[nl - 1] !== 0x0d) return { failed: 'reply line not ended by CRLF' };
      const kind = raw[0];
      const rest = raw.toString('latin1', 1, nl - 1);
      switch (kind) {
        case 0x2b: return { reply: { type: 'simple', value: rest } }; // +
        case 0x2d: return { reply: { type: 'error', message: rest } }; // -
        case 0x3a: { // :
          if (!INTEGER.test(rest)) return { failed: `malformed integer reply ${JSON.stringify(rest.slice(0, 100))}` };
          return { reply: { type: 'integer', value: Number(rest) } };
        }
        case 0x24: { // $
          if (rest === '-1') return { reply: { type: 'bulk', value: null } };
          if (!/^\d{1,10}$/.test(rest)) return { failed: `malformed bulk length ${JSON.stringify(rest.slice(0, 100))}` };
          const n = Number(rest);
          if (n > MAX_BULK_BYTES) return { failed: `bulk string of ${n} bytes exceeds the ${MAX_BULK_BYTES}-byte bound` };
          this.#bulk = n;
          continue;
        }
        case 0x2a: { // *
          if (rest === '-1') return { reply: { type: 'array', items: null } };
          if (!/^\d{1,10}$/.test(rest)) return { failed: `malformed array length ${JSON.stringify(rest.slice(0, 100))}` };
          const n = Number(rest);
          if (n > MAX_ARRAY_LENGTH) return { failed: `array of ${n} elements exceeds the ${MAX_ARRAY_LENGTH}-element bound` };
          if (n === 0) return { reply: { type: 'array', items: [] } };
          if (this.#stack.length >= MAX_DEPTH) return { failed: `arrays nested deeper than ${MAX_DEPTH}` };
          this.#stack.push({ items: [], left: n });
          continue;
        }
        default:
          return { failed: `unexpected reply type byte 0x${(kind ?? 0).toString(16).padStart(2, '0')}` };
      }
    }
  }

  #fail(message: string): RespResult {
    this.#failed = { type: 'protocol_error', message };
    this.#chunks = [];
    this.#len = 0;
    this.#stack = [];
    this.#bulk = undefined;
    return this.#failed;
  }

  /** Offset of the first `\n` across the buffered chunks (scanning at most MAX_LINE_BYTES + 1), or -1. */
  #indexOfNewline(): number {
    let base = 0;
    for (const c of this.#chunks) {
      const limit = Math.min(c.length, MAX_LINE_BYTES + 1 - base);
      const i = c.subarray(0, limit).indexOf(0x0a);
      if (i >= 0) return base + i;
      base += c.length;
      if (base > MAX_LINE_BYTES) return -1;
    }
    return -1;
  }

  /** Removes and returns the first `n` buffered bytes (n ≤ #len). */
  #take(n: number): Buffer {
    const first = this.#chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift(); else this.#chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let at = 0;
      while (at < n) {
        const c = this.#chunks[0]!;
        const k = Math.min(c.length, n - at);
        c.copy(out, at, 0, k);
        at += k;
        if (k === c.length) this.#chunks.shift(); else this.#chunks[0] = c.subarray(k);
      }
    }
    this.#len -= n;
    return out;
  }
}
