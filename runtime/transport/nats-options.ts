import { readFileSync } from 'node:fs';
import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from 'nats';
import { stringFlag, stringsFlag, type FlagSpec, type FlagValues } from '../cli/command.js';
import { ConfigError } from '../errors/runtime-errors.js';
import { Subjects } from './subject.js';

/** How to reach and authenticate to NATS. At most one auth method may be set. */
export interface NatsTransportOptions {
  /** Server URLs (`nats://host:port`, `tls://host:port`); tried in order. */
  readonly servers: readonly string[];
  /** Connection name shown in the server's connz. */
  readonly name?: string;
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  /** File holding an nkey seed (`SU…`). */
  readonly nkeySeedFile?: string;
  /** A `.creds` file (JWT + nkey seed). */
  readonly credsFile?: string;
  readonly tls?: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string };
  /** Subject prefix (default `athanor`). */
  readonly prefix?: string;
  /** Connect timeout (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** Largest stream frame (default 256 KiB); see BusTransportOptions. */
  readonly streamFrameBytes?: number;
  readonly maxStreamValueBytes?: number;
}

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** CLI flags every NATS-connected command accepts (spread into a Command's `flags`). */
export const natsFlags: Readonly<Record<string, FlagSpec>> = {
  'nats.url': { type: 'string', multiple: true, default: [DEFAULT_NATS_URL], placeholder: '<url>', description: 'NATS server URL; repeat for a cluster' },
  'nats.user': { type: 'string', placeholder: '<name>', description: 'NATS user (with --nats.password)' },
  'nats.password': { type: 'string', placeholder: '<secret>', description: 'NATS password (with --nats.user)' },
  'nats.token': { type: 'string', placeholder: '<token>', description: 'NATS authentication token' },
  'nats.creds-file': { type: 'string', placeholder: '<path>', description: 'NATS credentials file (JWT and nkey seed)' },
  'nats.nkey-file': { type: 'string', placeholder: '<path>', description: 'file holding an NATS nkey seed' },
  'nats.tls-ca': { type: 'string', placeholder: '<path>', description: 'CA certificate to verify the NATS server' },
  'nats.tls-cert': { type: 'string', placeholder: '<path>', description: 'client certificate for NATS TLS (with --nats.tls-key)' },
  'nats.tls-key': { type: 'string', placeholder: '<path>', description: 'client key for NATS TLS (with --nats.tls-cert)' },
  'nats.prefix': { type: 'string', default: 'athanor', placeholder: '<prefix>', description: 'subject prefix separating clusters that share a NATS server' },
};

const URL_RE = /^(nats|tls|ws|wss):\/\/[^\s/]+$|^[^\s/:]+(:\d+)?$/;

/** Turns parsed flag values into options; bad combinations throw ConfigError. */
export function natsOptionsFromFlags(v: FlagValues, name?: string): NatsTransportOptions {
  const servers = stringsFlag(v, 'nats.url');
  const list = servers.length > 0 ? servers : [DEFAULT_NATS_URL];
  for (const u of list) if (!URL_RE.test(u)) throw new ConfigError(`flag --nats.url: "${u}" is not a NATS URL like nats://host:4222`, { data: { url: u } });
  const user = stringFlag(v, 'nats.user');
  const password = stringFlag(v, 'nats.password');
  const token = stringFlag(v, 'nats.token');
  const credsFile = stringFlag(v, 'nats.creds-file');
  const nkeySeedFile = stringFlag(v, 'nats.nkey-file');
  if ((user === undefined) !== (password === undefined)) throw new ConfigError('flags --nats.user and --nats.password must be given together');
  const methods = [user !== undefined && '--nats.user', token !== undefined && '--nats.token', credsFile !== undefined && '--nats.creds-file',
    nkeySeedFile !== undefined && '--nats.nkey-file'].filter((x): x is string => typeof x === 'string');
  if (methods.length > 1) throw new ConfigError(`flags ${methods.join(', ')} are alternative NATS auth methods; give one`);
  const caFile = stringFlag(v, 'nats.tls-ca');
  const certFile = stringFlag(v, 'nats.tls-cert');
  const keyFile = stringFlag(v, 'nats.tls-key');
  if ((certFile === undefined) !== (keyFile === undefined)) throw new ConfigError('flags --nats.tls-cert and --nats.tls-key must be given together');
  const prefix = stringFlag(v, 'nats.prefix') ?? 'athanor';
  new Subjects(prefix);
  const tls = caFile !== undefined || certFile !== undefined
    ? { ...(caFile !== undefined && { caFile }), ...(certFile !== undefined && { certFile, keyFile }) } : undefined;
  return {
    servers: list, prefix,
    ...(name !== undefined && { name }),
    ...(user !== undefined && { user, password }),
    ...(token !== undefined && { token }),
    ...(credsFile !== undefined && { credsFile }),
    ...(nkeySeedFile !== undefined && { nkeySeedFile }),
    ...(tls !== undefined && { tls }),
  };
}

function readSecret(path: string, flag: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`reading ${flag} ${path}: ${(err as Error).message}`, { cause: err, data: { path } });
  }
}

/** Builds the `nats` client's ConnectionOptions (reads creds/nkey files; ConfigError if unreadable). */
export function toConnectionOptions(o: NatsTransportOptions): ConnectionOptions {
  if (o.servers.length === 0) throw new ConfigError('connecting to nats: no server URL given');
  const c: ConnectionOptions = {
    servers: [...o.servers],
    timeout: o.connectTimeoutMs ?? 5000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // No stack capture per request and per timed subscription: our errors carry what was being
    // done, and the capture showed in the profile of every query.
    noAsyncTraces: true,
    ...(o.name !== undefined && { name: o.name }),
    ...(o.user !== undefined && { user: o.user, pass: o.password ?? '' }),
    ...(o.token !== undefined && { token: o.token }),
  };
  if (o.credsFile !== undefined) c.authenticator = credsAuthenticator(readSecret(o.credsFile, 'creds file'));
  else if (o.nkeySeedFile !== undefined) {
    const seed = new TextDecoder().decode(readSecret(o.nkeySeedFile, 'nkey seed file')).trim();
    c.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  if (o.tls !== undefined) {
    c.tls = {
      ...(o.tls.caFile !== undefined && { caFile: o.tls.caFile }),
      ...(o.tls.certFile !== undefined && { certFile: o.tls.certFile }),
      ...(o.tls.keyFile !== undefined && { keyFile: o.tls.keyFile }),
    };
  }
  return c;
}
