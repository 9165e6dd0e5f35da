/**
 * Plain counters of one transport, monotonic from its creation. The actor runtime registers them
 * in prom-client later (e.g. as `athanor_transport_*_total` collect callbacks); nothing here
 * depends on a metrics library.
 */
export class TransportStats {
  /** Messages handed to the network by publish, request or reply (not stream frames). */
  messagesSent = 0;
  /** Messages delivered to subscribers and handlers (not stream frames). */
  messagesReceived = 0;
  /** Requests sent (plain and stream opens). */
  requests = 0;
  /** Requests that failed (timeout, no responders, remote error, cancel). */
  requestErrors = 0;
  /** Incoming messages dropped because they failed to decode or validate. */
  decodeErrors = 0;
  /** Subscriber callbacks that threw (the error is swallowed, delivery continues). */
  handlerErrors = 0;
  /** Stream frames published by producers (data, part, end, error). */
  framesSent = 0;
  /** Stream frames received by consumers. */
  framesReceived = 0;
  /** Credit grants sent by consumers. */
  creditGrants = 0;
  /** Producers that gave up for lack of credit (StreamStalledError). */
  stalls = 0;
  /** Consumers that gave up waiting for a frame (TimeoutError). */
  consumerTimeouts = 0;
  /** Stream cancels: sent by consumers here (break, abort) plus received by producers here. */
  cancels = 0;
  /** Streams broken by missing, duplicated or malformed frames. */
  broken = 0;
  /** Streams started by producers on this transport. */
  streamsServed = 0;
  /** Streams opened by consumers on this transport. */
  streamsOpened = 0;
  /** Streams answered whole in the open request's reply (small answers; see StreamProducer). */
  streamsInline = 0;
  /** Stream frames or control messages that arrived for an inbox no longer listened to (its stream ended or was cancelled). */
  inboxDropped = 0;

  /** A plain snapshot for logging or metrics collection. */
  snapshot(): Record<string, number> {
    return { ...this } as unknown as Record<string, number>;
  }
}
