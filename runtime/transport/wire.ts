/**
 * The byte-level primitives a transport implementation supplies (NATS connection or the
 * in-process bus). Everything above it — envelopes, deadlines, error mapping, streams — is
 * shared in BusTransport.
 */
export interface RawMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  /** Reply subject when the sender expects an answer. */
  readonly reply?: string;
}

export interface RawSubscription {
  unsubscribe(): void;
}

export interface Wire {
  /** The server's max_payload (bytes of one message). */
  readonly serverMaxPayload: number;
  /** Throws PayloadTooLargeError when `data` exceeds the server limit, ClosedError when closed. */
  publish(subject: string, data: Uint8Array, reply?: string): void;
  subscribe(subject: string, onMessage: (msg: RawMessage) => void, queue?: string): RawSubscription;
  /** One request, one reply; rejects NoRespondersError at once, TimeoutError, ClosedError. */
  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
  /** Round trip to the server: earlier publishes and subscriptions have been processed. */
  flush(): Promise<void>;
  /** Flushes pending output and closes; `drain` lets received messages be processed first. */
  close(drain: boolean): Promise<void>;
  /** Registers a callback for when the wire closes for any reason (once). */
  onClosed(cb: (err?: Error) => void): void;
}
