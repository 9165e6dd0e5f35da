import { connect, type NatsConnection } from 'nats';
import { ClosedError, PayloadTooLargeError, TimeoutError, TransportError } from '../errors/runtime-errors.js';
import { BusTransport, type BusTransportOptions } from './bus-transport.js';
import { mapNatsError } from './nats-errors.js';
import { toConnectionOptions, type NatsTransportOptions } from './nats-options.js';
import type { RawMessage, RawSubscription, Wire } from './wire.js';

class NatsWire implements Wire {
  readonly serverMaxPayload: number;
  readonly #nc: NatsConnection;

  constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.serverMaxPayload = nc.info?.max_payload ?? 1024 * 1024;
  }

  publish(subject: string, data: Uint8Array, reply?: string): void {
    if (data.length > this.serverMaxPayload) {
      throw new PayloadTooLargeError(`publishing to ${subject}: message of ${data.length} bytes exceeds max_payload ${this.serverMaxPayload}`,
        { data: { subject, bytes: data.length, limit: this.serverMaxPayload } });
    }
    try {
      this.#nc.publish(subject, data, reply === undefined ? undefined : { reply });
    } catch (err) {
      throw mapNatsError(err, `publishing to ${subject}`, { subject });
    }
  }

  subscribe(subject: string, onMessage: (msg: RawMessage) => void, queue?: string): RawSubscription {
    let sub;
    try {
      sub = this.#nc.subscribe(subject, {
        ...(queue !== undefined && { queue }),
        callback: (err, msg) => {
          if (err !== null) return;
          onMessage(msg.reply ? { subject: msg.subject, data: msg.data, reply: msg.reply } : { subject: msg.subject, data: msg.data });
        },
      });
    } catch (err) {
      throw mapNatsError(err, `subscribing to ${subject}`, { subject });
    }
    return { unsubscribe: () => { if (!sub.isClosed()) sub.unsubscribe(); } };
  }

  async request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    try {
      return (await this.#nc.request(subject, data, { timeout: Math.max(1, timeoutMs) })).data;
    } catch (err) {
      throw mapNatsError(err, `requesting on ${subject}`, { subject, timeoutMs });
    }
  }

  async flush(): Promise<void> {
    try {
      await this.#nc.flush();
    } catch (err) {
      throw mapNatsError(err, 'flushing nats connection');
    }
  }

  async close(drain: boolean): Promise<void> {
    if (this.#nc.isClosed()) return;
    try {
      if (drain && !this.#nc.isDraining()) await this.#nc.drain();
      else await this.#nc.close();
    } catch (err) {
      if (!this.#nc.isClosed()) throw mapNatsError(err, 'closing nats connection');
    }
  }

  onClosed(cb: (err?: Error) => void): void {
    void this.#nc.closed().then((err) => cb(err ?? undefined));
  }
}

/**
 * The NATS transport: the `nats` v2 client against a real nats-server. Request/reply and
 * streams carry athanor envelopes (see docs/subjects.md); errors of the client are mapped to
 * runtime errors (no responders, timeout, payload too large, closed).
 */
export class NatsTransport extends BusTransport {
  /** The underlying connection (discovery registers `$SRV` micro-services on it). */
  readonly connection: NatsConnection;

  private constructor(nc: NatsConnection, opts: BusTransportOptions) {
    super(new NatsWire(nc), opts);
    this.connection = nc;
  }

  /** Connects; ConfigError for unreadable credentials, TransportError when no server answers. */
  static async connect(opts: NatsTransportOptions): Promise<NatsTransport> {
    const copts = toConnectionOptions(opts);
    let nc: NatsConnection;
    try {
      nc = await connect(copts);
    } catch (err) {
      const mapped = mapNatsError(err, `connecting to nats at ${opts.servers.join(',')}`, { servers: [...opts.servers] });
      // A connect that times out (unreachable, TLS refused) is a transport failure, not a call timeout.
      throw mapped instanceof TimeoutError ? new TransportError(mapped.message, { cause: err, data: mapped.data }) : mapped;
    }
    return new NatsTransport(nc, opts);
  }

  /** Wraps a connection made elsewhere; closing the transport closes it. */
  static fromConnection(nc: NatsConnection, opts: BusTransportOptions = {}): NatsTransport {
    if (nc.isClosed()) throw new ClosedError('wrapping nats connection: already closed');
    return new NatsTransport(nc, opts);
  }
}
