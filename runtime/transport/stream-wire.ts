import { randomBytes } from 'node:crypto';
import type { Subjects } from './subject.js';
import type { TransportStats } from './stats.js';
import type { CallOptions, Subject } from './transport.js';

/**
 * What the stream producer and consumer need from a transport: raw byte publish/subscribe on
 * private subjects plus the ordinary request. Both transports provide it, so flow control is
 * implemented once (stream-producer.ts, stream-consumer.ts).
 */
export interface StreamWire {
  readonly subjects: Subjects;
  readonly stats: TransportStats;
  /** Largest frame a producer sends, header included (≤ maxPayloadBytes). */
  readonly frameBytes: number;
  /** Largest encoded value a stream carries (after splitting); bigger values are rejected. */
  readonly maxValueBytes: number;
  /** Aborted when the transport closes. */
  readonly closeSignal: AbortSignal;
  publishBytes(subject: string, data: Uint8Array): void;
  subscribeBytes(subject: string, onData: (data: Uint8Array) => void): { unsubscribe(): void };
  request(subject: Subject, value: unknown, opts: CallOptions): Promise<unknown>;
}

/** A fresh private inbox subject (128 random bits). */
export function newInbox(subjects: Subjects): Subject {
  return subjects.inbox(randomBytes(16).toString('base64url'));
}
