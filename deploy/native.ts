// The native launcher: starts the topology of docker-compose.yml on this machine from the Debian
// binaries (nats-server) and this checkout (node bin/athanor.js), on loopback, with every port
// shifted by --port-offset and each service's volume in a temp directory. Usage: node --import tsx deploy/native.ts [--port-offset=N] [compose.yml]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCompose, type ComposeService } from './compose.js';

export interface NativeCluster {
  readonly processes: ReadonlyMap<string, ChildProcess>;
  /** Host-side HTTP base URL of each athanor service. */
  readonly http: ReadonlyMap<string, string>;
  readonly natsUrl: string;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** Rewrites container addresses to loopback ones: `nats://nats:4222` → the native NATS URL, HTTP on 127.0.0.1. */
export function nativeArgs(svc: ComposeService, natsUrl: string, offset: number, dataRoot: string): string[] {
  return svc.command.map((a) => a
    .replace(/nats:\/\/nats:4222/g, natsUrl)
    .replace(/^--data-dir=\/var\/lib\/athanor$/, `--data-dir=${dataRoot}/${svc.name}`)
    .replace(/^--http-address=0\.0\.0\.0:(\d+)$/, (_m, port: string) => {
      const host = svc.ports.find((p) => p.container === Number(port))?.host ?? Number(port);
      return `--http-address=127.0.0.1:${host + offset}`;
    }));
}

export async function launchNative(composeFile: string, offset = 0, log: (line: string) => void = () => undefined): Promise<NativeCluster> {
  const services = readCompose(composeFile);
  const processes = new Map<string, ChildProcess>();
  const dataRoot = await mkdtemp(join(tmpdir(), 'athanor-native-'));
  const http = new Map<string, string>();
  const nats = services.find((s) => s.image?.startsWith('nats'));
  if (!nats) throw new Error(`${composeFile}: no nats service`);
  const natsPort = (nats.ports.find((p) => p.container === 4222)?.host ?? 4222) + offset;
  const monitorPort = (nats.ports.find((p) => p.container === 8222)?.host ?? 8222) + offset;
  const natsUrl = `nats://127.0.0.1:${natsPort}`;
  processes.set(nats.name, spawn('nats-server', ['-a', '127.0.0.1', '-p', String(natsPort), '-m', String(monitorPort)], { stdio: 'ignore' }));
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`http://127.0.0.1:${monitorPort}/healthz`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  for (const svc of services.filter((s) => s.athanor)) {
    const args = nativeArgs(svc, natsUrl, offset, dataRoot);
    const p = spawn(process.execPath, [`${root}bin/athanor.js`, ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: root });
    p.stderr!.on('data', (d: Buffer) => { for (const l of d.toString().split('\n')) if (l) log(`${svc.name} | ${l}`); });
    processes.set(svc.name, p);
    const addr = args.find((a) => a.startsWith('--http-address='))?.slice('--http-address='.length);
    if (addr) http.set(svc.name, `http://${addr}`);
  }
  return {
    processes, http, natsUrl,
    async stop() {
      const order = [...processes.entries()].reverse();
      for (const [, p] of order) {
        if (p.exitCode !== null || p.signalCode !== null) continue;
        const gone = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        await gone;
      }
      await rm(dataRoot, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const offArg = process.argv.find((a) => a.startsWith('--port-offset='));
  const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? `${root}docker-compose.yml`;
  const cluster = await launchNative(file, offArg ? Number(offArg.split('=')[1]) : 0, (l) => process.stderr.write(l + '\n'));
  process.stderr.write(`native cluster up: nats ${cluster.natsUrl}; ${[...cluster.http].map(([n, u]) => `${n} ${u}`).join(', ')}\n`);
  await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  await cluster.stop();
}
