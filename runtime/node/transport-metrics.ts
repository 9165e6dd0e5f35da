import type { Registry } from 'prom-client';
import { metricsFor } from '../metrics/registry.js';
import type { TransportStats } from '../transport/stats.js';

const COUNTERS: ReadonlyArray<[keyof TransportStats, string, string]> = [
  ['messagesSent', 'athanor_transport_messages_sent_total', 'Messages published, requested or replied (not stream frames).'],
  ['messagesReceived', 'athanor_transport_messages_received_total', 'Messages delivered to subscribers and handlers.'],
  ['requests', 'athanor_transport_requests_total', 'Requests sent, plain and stream opens.'],
  ['requestErrors', 'athanor_transport_request_errors_total', 'Requests that failed (timeout, no responders, remote error, cancel).'],
  ['decodeErrors', 'athanor_transport_decode_errors_total', 'Incoming messages dropped because they failed to decode.'],
  ['handlerErrors', 'athanor_transport_handler_errors_total', 'Subscriber callbacks that threw.'],
  ['framesSent', 'athanor_transport_stream_frames_sent_total', 'Stream frames sent by producers.'],
  ['framesReceived', 'athanor_transport_stream_frames_received_total', 'Stream frames received by consumers.'],
  ['creditGrants', 'athanor_transport_stream_credit_grants_total', 'Credit grants sent by consumers.'],
  ['stalls', 'athanor_transport_stream_stalls_total', 'Producers that gave up for lack of credit.'],
  ['consumerTimeouts', 'athanor_transport_stream_consumer_timeouts_total', 'Consumers that gave up waiting for a frame.'],
  ['cancels', 'athanor_transport_stream_cancels_total', 'Streams cancelled by either side.'],
  ['broken', 'athanor_transport_stream_broken_total', 'Streams broken by missing or malformed frames.'],
  ['streamsServed', 'athanor_transport_streams_served_total', 'Streams produced by this process.'],
  ['streamsInline', 'athanor_transport_streams_inline_total', 'Streams produced by this process that were answered whole in one reply.'],
  ['streamsOpened', 'athanor_transport_streams_opened_total', 'Streams consumed by this process.'],
  ['inboxDropped', 'athanor_transport_inbox_dropped_total', 'Stream messages that arrived for an inbox whose stream had ended or been cancelled.'],
];

/** Exposes a transport's plain counters on `registry` (read at scrape time). */
export function registerTransportMetrics(registry: Registry, stats: TransportStats): void {
  const m = metricsFor(registry);
  for (const [field, name, help] of COUNTERS) {
    let last = 0;
    // Collect-time sync: the counter moves forward by the delta since the previous scrape.
    m.counter({
      name, help,
      collect() {
        const now = stats[field] as number;
        if (now > last) { this.inc(now - last); last = now; }
      },
    });
  }
}
