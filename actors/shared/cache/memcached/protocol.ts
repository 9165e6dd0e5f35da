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
  /** Received chunks; the first one is consumed from `#off`. */
  #chunks: Buffer[] = [];
  #off = 0;
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
    for (;;) {
      if (this.#failed !== undefined) return this.#failed;
      const h = this.#header;
      if (h !== undefined) {
        if (this.#len < h.bytes + 2) return undefined;
        const value = this.#takeValue(h.bytes);
        if (!this.#takeCrlf()) return this.#fail(`value of ${h.key} not followed by CRLF`);
        this.#header = undefined;
        return { kind: 'value', key: h.key, flags: h.flags, value };
      }
      const nl = this.#indexOfNewline();
      if (nl < 0) return this.#len > MAX_LINE_BYTES ? this.#fail(`no line end within ${MAX_LINE_BYTES} bytes`) : undefined;
      if (nl + 1 > MAX_LINE_BYTES) return this.#fail(`reply line longer than ${MAX_LINE_BYTES} bytes`);
      const line = this.#takeLine(nl);
      if (line === undefined) return this.#fail('reply line not ended by CRLF');
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
        continue;
      }
      if (line.startsWith('CLIENT_ERROR')) return { kind: 'client_error', message: line.slice(12).trim() };
      if (line.startsWith('SERVER_ERROR')) return { kind: 'server_error', message: line.slice(12).trim() };
      return this.#fail(`unexpected reply line ${JSON.stringify(line.slice(0, 300))}`);
    }
  }

  #fail(message: string): MemcachedReply {
    this.#failed = { kind: 'protocol_error', message };
    this.#chunks = [];
    this.#off = 0;
    this.#len = 0;
    this.#header = undefined;
    return this.#failed;
  }

  /** Offset (from the unconsumed start) of the first `\n`, scanning at most MAX_LINE_BYTES + 1 bytes; -1 if none. */
  #indexOfNewline(): number {
    let base = 0;
    for (let ci = 0; ci < this.#chunks.length; ci++) {
      const c = this.#chunks[ci]!;
      const from = ci === 0 ? this.#off : 0;
      const to = Math.min(c.length, from + MAX_LINE_BYTES + 1 - base);
      const i = c.indexOf(0x0a, from);
      if (i >= 0 && i < to) return base + i - from;
      base += c.length - from;
      if (base > MAX_LINE_BYTES) return -1;
    }
    return -1;
  }

  /** Consumes `nl + 1` bytes (a line ending at offset `nl` with `\n`); its text without CRLF, or undefined if not CRLF-ended. */
  #takeLine(nl: number): string | undefined {
    const first = this.#chunks[0]!;
    let bytes: Buffer;
    let at = 0;
    if (first.length - this.#off > nl) {
      bytes = first;
      at = this.#off;
      this.#advance(nl + 1);
    } else {
      bytes = Buffer.allocUnsafe(nl + 1);
      this.#copyOut(bytes, nl + 1);
    }
    if (nl === 0 || bytes[at + nl - 1] !== 0x0d) return undefined;
    return bytes.toString('latin1', at, at + nl - 1);
  }

  /** Consumes two bytes (#len ≥ 2); true when they are CRLF. */
  #takeCrlf(): boolean {
    const two = new Uint8Array(2);
    this.#copyOut(two, 2);
    return two[0] === 0x0d && two[1] === 0x0a;
  }

  /** Consumes `n` bytes (n ≤ #len) into a fresh Uint8Array. */
  #takeValue(n: number): Uint8Array {
    const out = new Uint8Array(n);
    this.#copyOut(out, n);
    return out;
  }

  /** Moves the first `n` unconsumed bytes into `out` and consumes them. */
  #copyOut(out: Uint8Array, n: number): void {
    let at = 0;
    while (at < n) {
      const c = this.#chunks[0]!;
      const k = Math.min(c.length - this.#off, n - at);
      out.set(c.subarray(this.#off, this.#off + k), at);
      at += k;
      this.#advance(k);
    }
  }

  /** Consumes `k` bytes of the first chunk (k ≤ its unconsumed length). */
  #advance(k: number): void {
    this.#off += k;
    this.#len -= k;
    if (this.#off === this.#chunks[0]!.length) { this.#chunks.shift(); this.#off = 0; }
  }
}
