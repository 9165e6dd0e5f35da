import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { readCompose } from '../../deploy/compose.js';
import { launchNative } from '../../deploy/native.js';
import { allCommands } from '../../bin/commands/index.js';
import { parseFlags } from '../../runtime/cli/command.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const composeFile = `${root}docker-compose.yml`;

t.test('every athanor service in docker-compose.yml runs a real command with valid flags', async (t) => {
  const services = readCompose(composeFile);
  const commands = await allCommands();
  const athanor = services.filter((s) => s.athanor);
  t.ok(athanor.length >= 2, 'at least two athanor services');
  for (const svc of athanor) {
    const cmd = commands.find((c) => c.path.every((p, i) => svc.command[i] === p));
    t.ok(cmd, `${svc.name}: command "${svc.command.join(' ')}" exists`);
    if (!cmd) continue;
    t.doesNotThrow(() => parseFlags(cmd, svc.command.slice(cmd.path.length)), `${svc.name}: flags parse`);
    for (const d of svc.dependsOn) t.ok(services.some((s) => s.name === d), `${svc.name}: depends on existing ${d}`);
  }
  const dockerfile = readFileSync(`${root}deploy/Dockerfile`, 'utf8');
  for (const m of dockerfile.matchAll(/^COPY (\S+)/gm)) {
    for (const f of m[1]!.split(' ')) t.ok(existsSync(`${root}${f}`), `Dockerfile copies existing ${f}`);
  }
});

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

t.test('the native launcher starts the compose topology and every node sees every store and querier over NATS', async (t) => {
  let offset = 0;
  for (let i = 0; i < 50 && offset === 0; i++) {
    const cand = 20000 + Math.floor(Math.random() * 20000);
    if ((await Promise.all([4222, 8222, 10902, 10912].map((p) => portFree(p + cand)))).every(Boolean)) offset = cand;
  }
  t.not(offset, 0, 'found free ports');
  const cluster = await launchNative(composeFile, offset);
  t.teardown(() => cluster.stop());
  const bases = [...cluster.http.values()];
  t.equal(bases.length, 2);
  for (const base of bases) {
    let peers = 0;
    for (let i = 0; i < 400 && peers < 4; i++) {
      try {
        const body = await (await fetch(`${base}/api/v1/discovery/peers`)).json() as { data: unknown[] };
        peers = body.data.length;
      } catch { /* still starting */ }
      if (peers < 4) await new Promise((r) => setTimeout(r, 25));
    }
    t.equal(peers, 4, `${base} sees both nodes' store and querier`);
    const stores = await (await fetch(`${base}/api/v1/stores`)).json() as { data: { store: unknown[] } };
    t.equal(stores.data.store.length, 2, `${base}: its querier fans out to both store gateways`);
  }
  await cluster.stop();
  for (const name of ['node-a', 'node-b']) t.equal(cluster.processes.get(name)?.exitCode, 0, `${name} exited cleanly`);
  for (const [name, p] of cluster.processes) t.ok(p.exitCode !== null || p.signalCode !== null, `${name} stopped`);
});
