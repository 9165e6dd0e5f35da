import type { FlagSpec } from '../cli/command.js';

/**
 * The HTTP flag. Thanos listens on 0.0.0.0:10902; athanor defaults to loopback (127.0.0.1:10902)
 * so a dev box never exposes /metrics or a query API by accident — pass `--http-address=0.0.0.0:10902`
 * (or `:10902`) to listen on every interface. Port 0 picks a free port (logged at start).
 */
export const httpFlags = {
  'http-address': { type: 'string', default: '127.0.0.1:10902', placeholder: '<host:port>', description: 'listen address for HTTP endpoints (/metrics, /-/healthy, /-/ready, APIs)' },
} as const satisfies Record<string, FlagSpec>;
