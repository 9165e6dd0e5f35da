import { parse as parseYaml } from 'yaml';
import type { ProviderType } from './bucket.js';
import { ConfigReader, objstoreConfigError, type ConfigErrorFactory } from './config-reader.js';
import { ObjstoreConfigError } from './errors.js';

/** Thanos's objstore YAML (`type`, `config`, `prefix`), with `type` upper-cased. */
export interface ObjstoreConfig {
  readonly type: ProviderType;
  /** The provider's `config:` mapping, validated by the provider's parser. */
  readonly config: unknown;
  readonly prefix: string;
}

const SUPPORTED: readonly ProviderType[] = ['S3', 'FILESYSTEM', 'MEMORY'];
const THANOS_ONLY = ['GCS', 'AZURE', 'SWIFT', 'COS', 'ALIYUNOSS', 'BOS', 'OCI', 'OBS'];

/**
 * Replaces `$(NAME)` with the environment variable NAME, as Thanos does for objstore files.
 * A missing variable is an ObjstoreConfigError naming it.
 */
export function expandEnv(text: string, source: string, env: NodeJS.ProcessEnv = process.env, makeError: ConfigErrorFactory = objstoreConfigError): string {
  return text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw makeError(`${source}: environment variable ${name} referenced as $(${name}) is not set`, { data: { source, variable: name } });
    return v;
  });
}

/**
 * Decodes a Thanos config file's YAML text (env references expanded); `source` names it in errors,
 * which `makeError` builds (the config's own typed error).
 */
export function decodeConfigYaml(text: string, source: string, makeError: ConfigErrorFactory = objstoreConfigError, env?: NodeJS.ProcessEnv): unknown {
  const expanded = expandEnv(text, source, env, makeError);
  try { return parseYaml(expanded) as unknown; } catch (e) {
    throw makeError(`${source}: invalid YAML: ${(e as Error).message}`, { cause: e, data: { source } });
  }
}


/** Parses objstore YAML text (from a file or flag); `source` names it in errors. */
export function parseObjstoreYaml(text: string, source: string, env?: NodeJS.ProcessEnv): ObjstoreConfig {
  return objstoreConfigFrom(decodeConfigYaml(text, source, objstoreConfigError, env), source);
}

/** Validates an already-decoded objstore config document. */
export function objstoreConfigFrom(doc: unknown, source: string): ObjstoreConfig {
  const r = new ConfigReader(source, doc, ['type', 'config', 'prefix']);
  const rawType = r.string('type');
  if (rawType === '') throw r.error('missing field "type" (one of S3, FILESYSTEM, MEMORY)');
  const type = rawType.toUpperCase();
  if (!(SUPPORTED as readonly string[]).includes(type)) {
    const why = THANOS_ONLY.includes(type) ? 'is a Thanos provider athanor does not implement' : 'is not a known provider';
    throw r.error(`bucket type ${JSON.stringify(rawType)} ${why} (supported: ${SUPPORTED.join(', ')})`, { type: rawType });
  }
  return { type: type as ProviderType, config: r.raw('config'), prefix: r.string('prefix') };
}
