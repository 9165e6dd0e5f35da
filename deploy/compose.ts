import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The subset of a compose service the native launcher and the compose test understand. */
export interface ComposeService {
  readonly name: string;
  readonly image?: string;
  /** True for services built from this repository (the athanor image). */
  readonly athanor: boolean;
  readonly command: readonly string[];
  readonly ports: ReadonlyArray<{ readonly host: number; readonly container: number }>;
  readonly dependsOn: readonly string[];
}

/** Reads a compose file; throws with the service and field named when it has a shape we don't run. */
export function readCompose(path: string): ComposeService[] {
  const doc = parse(readFileSync(path, 'utf8')) as { services?: Record<string, Record<string, unknown>> };
  if (!doc?.services) throw new Error(`${path}: no services`);
  return Object.entries(doc.services).map(([name, s]) => {
    const command = s.command ?? [];
    if (!Array.isArray(command) || !command.every((c) => typeof c === 'string')) throw new Error(`${path}: service ${name}: command must be a list of strings`);
    const ports = ((s.ports ?? []) as unknown[]).map((p) => {
      const m = typeof p === 'string' ? /^(\d+):(\d+)$/.exec(p) : null;
      if (!m) throw new Error(`${path}: service ${name}: port ${JSON.stringify(p)} must be "host:container"`);
      return { host: Number(m[1]), container: Number(m[2]) };
    });
    const build = s.build as { dockerfile?: string } | undefined;
    return {
      name, athanor: build?.dockerfile === 'deploy/Dockerfile', command: command as string[], ports,
      dependsOn: (s.depends_on ?? []) as string[], ...(typeof s.image === 'string' ? { image: s.image } : {}),
    };
  });
}
