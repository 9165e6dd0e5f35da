/**
 * The memcached text protocol, as far as athanor's cache uses it: `get`, `set`, `delete` requests
 * and an incremental reply parser. Pure (no I/O): the client feeds socket chunks in and takes typed
 * replies out, so the parser can be fuzzed on its own.
 */

/** memcached reads an exptime above 30 days as an absolute unix time (seconds). */
export const RELATIVE_EXPTIME_MAX_S = 30 * 24 * 3600;

/** The largest value the parser accepts; a bigger `VALUE` header is a protocol error. */
export const MAX_VALUE_BYTES = 512 * 1024 * 1024;

/** The longest reply line (header or status) the parser waits for before calling the stream broken. */
export const MAX_LINE_BYTES = 8192;

const CRLF = Buffer.from('\r\n', 'latin1');

/** `get k1 k2 …\r\n`. Keys must already be valid (checkCacheKey). */
export function encodeGet(keys: readonly string[]): Buffer {
  return Buffer.from(`get ${keys.join(' ')}\r\n`, 'latin1');
}

/** `set <key> 0 <exptime> <bytes>\r\n<data>\r\n` (flags are always 0). */
export function encodeSet(key: string, value: Uint8Array, exptime: number): Buffer {
  const head = Buffer.from(`set ${key} 0 ${exptime} ${value.byteLength}\r\n`, 'latin1');
  return Buffer.concat([head, value, CRLF], head.length + value.byteLength + 2);
}

/** `delete <key>\r\n`. */
export function encodeDelete(key: string): Buffer {
  return Buffer.from(`delete ${key}\r\n`, 'latin1');
}

/**
 * The exptime field for a ttl: whole seconds rounded up (so an item never expires early), and —
 * as memcached reads values above 30 days as a unix time — an absolute time for longer ttls.
 * `nowMs` is the wall clock (Date.now()). A ttl ≤ 0 has no exptime (the caller stores nothing).
 */
export function exptimeFor(ttlMs: number, nowMs: number): number {
  const s = Math.ceil(ttlMs / 1000);
  return s > RELATIVE_EXPTIME_MAX_S ? Math.floor(nowMs / 1000) + s : s;
}

/** One reply of the server. `protocol_error` means the stream is broken (the connection must go). */
export type MemcachedReply =
  | { readonly kind: 'value'; readonly key: string; readonly flags: number; readonly value: Uint8Array }
  | { readonly kind: 'end' | 'stored' | 'not_stored' | 'exists' | 'deleted' | 'not_found' | 'error' }
  | { readonly kind: 'client_error' | 'server_error' | 'protocol_error'; readonly message: string };

const STATUS: Record<string, MemcachedReply['kind']> = {
  END: 'end', STORED: 'stored', NOT_STORED: 'not_stored', EXISTS: 'exists', DELETED: 'deleted', NOT_FOUND: 'not_found', ERROR: 'error',
};
const VALUE_LINE = /^VALUE ([\x21-\x7e]{1,250}) (\d{1,10}) (\d{1,12})(?: \d{1,20})?$/;

/**
 * Incremental parser of a reply stream. `push` bytes as they arrive, then call `next` until it
 * returns undefined (needs more bytes). It never throws on input: malformed bytes yield one
 * `protocol_error`, after which the parser stays failed (every `next` returns it). Memory is
 * bounded by the bytes pushed and not yet consumed, with a value at most MAX_VALUE_BYTES and a
 * line at most MAX_LINE_BYTES. Values are fresh copies the caller may keep.
 */
export class ReplyParser {
  #chunks: Buffer[] = [];
  #len = 0;
  #header: { key: string; flags: number; bytes: number } | undefined;
  #failed: MemcachedReply | undefined;

  /** Bytes received and not consumed yet. */
  get buffered(): number { return this.#len; }

  /** True while a reply has started and not been completed (a value body or part of a line). */
  get midReply(): boolean { return this.#header !== undefined || this.#len > 0; }

  push(chunk: Uint8Array): void {
    if (this.#failed !== undefined || chunk.byteLength === 0) return;
    this.#chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.#len += chunk.byteLength;
  }

  /** The next complete reply, or undefined when more bytes are needed. */
  next(): MemcachedReply | undefined {
    if (this.#failed !== undefined) return this.#failed;
    const h = this.#header;
    if (h !== undefined) {
      if (this.#len < h.bytes + 2) return undefined;
      const body = this.#take(h.bytes + 2);
      if (body[h.bytes] !== 0x0d || body[h.bytes + 1] !== 0x0a) return this.#fail(`value of ${h.key} not followed by CRLF`);
      this.#header = undefined;
      return { kind: 'value', key: h.key, flags: h.flags, value: new Uint8Array(body.subarray(0, h.bytes)) };
    }
    const nl = this.#indexOfNewline();
    if (nl < 0) return this.#len > MAX_LINE_BYTES ? this.#fail(`no line end within ${MAX_LINE_BYTES} bytes`) : undefined;
    if (nl + 1 > MAX_LINE_BYTES) return this.#fail(`reply line longer than ${MAX_LINE_BYTES} bytes`);
    const raw = this.#take(nl + 1);
    if (nl === 0 || raw[nl - 1] !== 0x0d) return this.#fail('reply line not ended by CRLF');
    const line = raw.toString('latin1', 0, nl - 1);
    const status = STATUS[line];
    if (status !== undefined) return { kind: status } as MemcachedReply;
    if (line.startsWith('VALUE ')) {
      const m = VALUE_LINE.exec(line);
      if (m === null) return this.#fail(`malformed VALUE line ${JSON.stringify(line.slice(0, 300))}`);
      const flags = Number(m[2]);
      const bytes = Number(m[3]);
      if (flags > 0xffffffff) return this.#fail(`VALUE flags ${flags} out of range`);
      if (bytes > MAX_VALUE_BYTES) return this.#fail(`VALUE of ${bytes} bytes exceeds the ${MAX_VALUE_BYTES}-byte bound`);
      this.#header = { key: m[1]!, flags, bytes };
      return this.next();
    }
    if (line.startsWith('CLIENT_ERROR')) return { kind: 'client_error', message: line.slice(12).trim() };
    if (line.startsWith('SERVER_ERROR')) return { kind: 'server_error', message: line.slice(12).trim() };
    return this.#fail(`unexpected reply line ${JSON.stringify(line.slice(0, 300))}`);
  }

  #fail(message: string): MemcachedReply {
    this.#failed = { kind: 'protocol_error', message };
    this.#chunks = [];
    this.#len = 0;
    this.#header = undefined;
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
