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
  /** A fresh private inbox subject for one stream (its control or frame subject). */
  newInbox(): Subject;
  /**
   * Delivers what arrives on `subject`; an inbox from `newInbox` costs no subscription of its own
   * (the transport routes its connection's inboxes from one wildcard subscription).
   */
  subscribeBytes(subject: string, onData: (data: Uint8Array) => void): { unsubscribe(): void };
  request(subject: Subject, value: unknown, opts: CallOptions): Promise<unknown>;
}

/** A fresh random inbox token (96 bits). */
export function inboxToken(): string {
  return randomBytes(12).toString('base64url');
}
