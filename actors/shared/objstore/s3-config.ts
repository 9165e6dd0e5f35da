import { ConfigReader } from './config-reader.js';

export type BucketLookupType = 'auto' | 'virtual-hosted' | 'path';

export interface S3HttpConfig {
  readonly idleConnTimeoutMs: number;
  readonly responseHeaderTimeoutMs: number;
  readonly insecureSkipVerify: boolean;
  readonly maxConnsPerHost: number;
  readonly maxIdleConnsPerHost: number;
  readonly tls: { readonly caFile: string; readonly certFile: string; readonly keyFile: string; readonly serverName: string; readonly insecureSkipVerify: boolean };
}

export type S3Sse = { readonly type: 'SSE-S3' } | { readonly type: 'SSE-KMS'; readonly kmsKeyId: string; readonly kmsEncryptionContext: Record<string, string> };

/** Thanos's S3 `config:` (thanos-io/objstore providers/s3 Config), validated. */
export interface S3Config {
  readonly bucket: string;
  /** `host[:port]` as in Thanos (a `http://`/`https://` scheme is also accepted and wins over `insecure`). */
  readonly endpoint: string;
  readonly region: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly sessionToken: string;
  readonly insecure: boolean;
  readonly bucketLookupType: BucketLookupType;
  readonly listObjectsVersion: 'v1' | 'v2';
  readonly partSize: number;
  readonly disableMultipart: boolean;
  readonly putUserMetadata: Record<string, string>;
  readonly storageClass: string | undefined;
  readonly sse: S3Sse | undefined;
  /** Thanos `max_retries` (0 = our default attempts). */
  readonly maxRetries: number;
  readonly http: S3HttpConfig;
}

const S3_FIELDS = [
  'bucket', 'endpoint', 'region', 'disable_dualstack', 'aws_sdk_auth', 'access_key', 'insecure', 'signature_version2',
  'secret_key', 'session_token', 'put_user_metadata', 'http_config', 'trace', 'list_objects_version', 'bucket_lookup_type',
  'send_content_md5', 'disable_multipart', 'part_size', 'sse_config', 'sts_endpoint', 'max_retries',
] as const;
const HTTP_FIELDS = [
  'idle_conn_timeout', 'response_header_timeout', 'insecure_skip_verify', 'tls_handshake_timeout', 'expect_continue_timeout',
  'max_idle_conns', 'max_idle_conns_per_host', 'max_conns_per_host', 'tls_config', 'disable_compression',
] as const;
const TLS_FIELDS = ['ca_file', 'cert_file', 'key_file', 'server_name', 'insecure_skip_verify'] as const;
const SSE_FIELDS = ['type', 'kms_key_id', 'kms_encryption_context', 'encryption_key'] as const;

/** Default multipart part size, as Thanos: 64 MiB. */
export const DEFAULT_PART_SIZE = 64 * 1024 * 1024;

/** Parses and validates the `config:` mapping of `type: S3`. Throws ObjstoreConfigError. */
export function parseS3Config(raw: unknown): S3Config {
  const r = new ConfigReader('objstore config (S3)', raw, S3_FIELDS);
  r.sub('trace', ['enable']).bool('enable');
  r.bool('disable_dualstack'); r.bool('send_content_md5', true); r.string('sts_endpoint');
  const endpoint = r.string('endpoint');
  if (endpoint === '') throw r.error('no s3 endpoint in config file (field "endpoint")');
  const bucket = r.string('bucket');
  if (bucket === '') throw r.error('no s3 bucket in config file (field "bucket")');
  if (r.bool('signature_version2')) throw r.error('signature_version2: true is not supported (AWS Signature V2 is deprecated); remove it to sign with V4');
  const accessKey = r.string('access_key');
  const secretKey = r.string('secret_key');
  if (r.bool('aws_sdk_auth') && accessKey !== '') throw r.error('aws_sdk_auth and access_key are mutually exclusive');
  if (accessKey === '' && secretKey !== '') throw r.error('secret_key is set but access_key is not; set both, or neither to use the AWS credential chain');
  if (accessKey !== '' && secretKey === '') throw r.error('access_key is set but secret_key is not; set both, or neither to use the AWS credential chain');
  const listV = r.string('list_objects_version');
  if (listV !== '' && listV !== 'v1' && listV !== 'v2') throw r.bad('list_objects_version', 'v1 or v2', listV);
  const partSize = r.int('part_size', DEFAULT_PART_SIZE);
  if (partSize < 5 * 1024 * 1024) throw r.bad('part_size', 'at least 5242880 (5 MiB, the S3 minimum)', partSize);
  const meta = { ...r.stringMap('put_user_metadata') };
  let storageClass: string | undefined;
  for (const k of Object.keys(meta)) {
    if (k.toLowerCase() === 'x-amz-storage-class') { storageClass = meta[k]; delete meta[k]; }
  }
  const maxRetries = r.int('max_retries');
  if (maxRetries < 0) throw r.bad('max_retries', 'a non-negative integer', maxRetries);
  return {
    bucket, endpoint, region: r.string('region'), accessKey, secretKey, sessionToken: r.string('session_token'),
    insecure: r.bool('insecure'),
    bucketLookupType: r.oneOf('bucket_lookup_type', ['auto', 'virtual-hosted', 'path'] as const, 'auto'),
    listObjectsVersion: listV === 'v1' ? 'v1' : 'v2',
    partSize, disableMultipart: r.bool('disable_multipart'), putUserMetadata: meta, storageClass,
    sse: parseSse(r.sub('sse_config', SSE_FIELDS)), maxRetries, http: parseHttp(r.sub('http_config', HTTP_FIELDS)),
  };
}

function parseSse(r: ConfigReader): S3Sse | undefined {
  const type = r.string('type');
  if (type === '') return undefined;
  if (type === 'SSE-S3') return { type };
  if (type === 'SSE-KMS') {
    const kmsKeyId = r.string('kms_key_id');
    if (kmsKeyId === '') throw r.error('kms_key_id must be set if sse_config.type is SSE-KMS');
    return { type, kmsKeyId, kmsEncryptionContext: r.stringMap('kms_encryption_context') };
  }
  if (type === 'SSE-C') throw r.error('sse_config.type SSE-C is not supported (supported: SSE-S3, SSE-KMS)');
  throw r.bad('type', 'one of SSE-S3, SSE-KMS', type);
}

function parseHttp(r: ConfigReader): S3HttpConfig {
  const tls = r.sub('tls_config', TLS_FIELDS);
  r.durationMs('tls_handshake_timeout'); r.durationMs('expect_continue_timeout'); r.int('max_idle_conns'); r.bool('disable_compression');
  return {
    idleConnTimeoutMs: r.durationMs('idle_conn_timeout', 90_000),
    responseHeaderTimeoutMs: r.durationMs('response_header_timeout', 120_000),
    insecureSkipVerify: r.bool('insecure_skip_verify'),
    maxConnsPerHost: r.int('max_conns_per_host'),
    maxIdleConnsPerHost: r.int('max_idle_conns_per_host', 100),
    tls: {
      caFile: tls.string('ca_file'), certFile: tls.string('cert_file'), keyFile: tls.string('key_file'),
      serverName: tls.string('server_name'), insecureSkipVerify: tls.bool('insecure_skip_verify'),
    },
  };
}
