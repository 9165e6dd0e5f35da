export type {
  CallOptions, Incoming, RequestContext, RequestHandler, StreamCallOptions, StreamHandler, StreamWriter, SubscribeOptions, Subscription, Transport,
} from './transport.js';
export { Subjects, assertToken, type Subject, type RpcAddress } from './subject.js';
export { BusTransport, type BusTransportOptions, PAYLOAD_HEADROOM_BYTES, DEFAULT_STREAM_FRAME_BYTES, DEFAULT_MAX_STREAM_VALUE_BYTES } from './bus-transport.js';
export { LocalBus, LocalTransport, type LocalTransportOptions } from './local-transport.js';
export { NatsTransport } from './nats-transport.js';
export { natsFlags, natsOptionsFromFlags, toConnectionOptions, DEFAULT_NATS_URL, type NatsTransportOptions } from './nats-options.js';
export { mapNatsError } from './nats-errors.js';
export { TransportStats } from './stats.js';
export { DEFAULT_WINDOW, DEFAULT_STALL_TIMEOUT_MS } from './stream-consumer.js';
