// Shared by the memcached and redis reply-parser tests: draining a parser, feeding it in steps, and
// the seeded fuzz both parsers must survive.
import type { Test } from 'tap';
import { seededRandom } from '../../../../runtime/random.js';

/** What both reply parsers offer: bytes in, complete replies out (undefined = need more). */
export interface ReplyParserLike<R> {
  push(bytes: Uint8Array): void;
  next(): R | undefined;
  readonly buffered: number;
}

/** Every complete reply the parser holds, stopping after a protocol error. */
export function drain<R>(p: ReplyParserLike<R>, isProtocolError: (r: R) => boolean): R[] {
  const out: R[] = [];
  for (let r = p.next(); r !== undefined; r = p.next()) {
    out.push(r);
    if (isProtocolError(r)) break;
  }
  return out;
}

/** Feeds `wire` to `p` `step` bytes at a time, draining after each push. */
export function feedInSteps<R>(p: ReplyParserLike<R>, wire: Uint8Array, step: number, isProtocolError: (r: R) => boolean): R[] {
  const got: R[] = [];
  for (let i = 0; i < wire.length; i += step) { p.push(wire.subarray(i, i + step)); got.push(...drain(p, isProtocolError)); }
  return got;
}

export interface ReplyFuzzOptions<R> {
  readonly iterations: number;
  /** Valid replies that the mutated inputs start from. */
  readonly valid: Buffer;
  readonly parser: () => ReplyParserLike<R>;
  readonly isProtocolError: (r: R) => boolean;
  /** One byte of a wholly random input (default: uniform). */
  readonly randomByte?: (rand: () => number) => number;
}

/**
 * Seeded fuzz: random inputs and mutated valid replies (bytes changed, dropped, digits inserted,
 * truncated), fed in random steps. Every input must end in replies, a protocol error or "need
 * more", without the parser throwing or buffering more than the input. Returns how many inputs
 * ended in a protocol error and how many did not.
 */
export function fuzzReplyParser<R>(t: Test, o: ReplyFuzzOptions<R>): { errors: number; clean: number } {
  const rand = seededRandom(20261125);
  const randomByte = o.randomByte ?? ((r: () => number) => Math.floor(r() * 256));
  let errors = 0, clean = 0;
  for (let iter = 0; iter < o.iterations; iter++) {
    let input: Buffer;
    if (iter % 3 === 0) {
      input = Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => randomByte(rand)));
    } else {
      input = Buffer.from(o.valid);
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * input.length);
        const op = rand();
        if (op < 0.5) input[at] = Math.floor(rand() * 256);
        else if (op < 0.75) input = Buffer.concat([input.subarray(0, at), input.subarray(at + 1)]);
        else input = Buffer.concat([input.subarray(0, at), Buffer.from(String(Math.floor(rand() * 1e9)), 'latin1'), input.subarray(at)]);
      }
      if (iter % 5 === 0) input = input.subarray(0, Math.floor(rand() * input.length));
    }
    const p = o.parser();
    let failed = false;
    try {
      for (let i = 0; i < input.length && !failed;) {
        const n = 1 + Math.floor(rand() * 16);
        p.push(input.subarray(i, i + n));
        i += n;
        for (const r of drain(p, o.isProtocolError)) if (o.isProtocolError(r)) failed = true;
        if (p.buffered > input.length) { t.fail('buffer grew past the input'); return { errors, clean }; }
      }
    } catch (e) {
      t.fail(`parser threw on ${JSON.stringify(input.toString('latin1'))}: ${String(e)}`);
      return { errors, clean };
    }
    if (failed) errors++; else clean++;
  }
  return { errors, clean };
}
