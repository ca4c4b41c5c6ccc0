import type { INestApplication } from '@nestjs/common';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gql, signUp } from './support/api';
import { freePort } from './support/free-port';


async function until(fn: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const root = join(__dirname, '..', '..');
const files = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.rw')).length;

// The built agent, as its own process, against the real api: the api goes away (stopped), the
// agent buffers to disk, the api comes back on the same address, and the backfill leaves no gap.
describe('tocsin-agent buffering and backfill', () => {
  let port: number;
  let app: INestApplication | undefined;
  let agent: ChildProcess | undefined;
  let distCopy: string;
  let log = '';
  const startApiOn = async () => {
    const { createApiApp } = await import('../../apps/api/src/main');
    app = await createApiApp();
    await app.listen(port, '127.0.0.1');
  };

  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'apps', 'agent', 'src', 'main.js'))) throw new Error('Build first: `npm run build` (this test runs the built agent)');
    // A private copy, so a colleague's rebuild (which empties dist/) cannot pull it away mid-test.
    mkdirSync(join(root, '.data'), { recursive: true });
    distCopy = mkdtempSync(join(root, '.data', 'agent-e2e-'));
    cpSync(join(root, 'dist'), join(distCopy, 'dist'), { recursive: true });
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) agent.kill('SIGKILL');
    await app?.close();
    if (distCopy) rmSync(distCopy, { recursive: true, force: true });
  });

  it('pushes host metrics, buffers while the api is down, and backfills in order with no gap', async () => {
    port = await freePort();
    await startApiOn();
    const url = `http://127.0.0.1:${port}`;
    const who = await signUp(url, 'agent');
    const key = async (scope: string) => (await gql(url, `mutation { createApiKey(input: { name: "${scope}", scopes: [${scope}] }) { secret } }`, {}, { token: who.token })).data!.createApiKey.secret as string;
    const ingest = await key('INGEST');
    const read = await key('READ');
    const query = async (expr: string) => {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`, { headers: { authorization: `Bearer ${read}` } });
      return ((await res.json()) as { data: { result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[] } }).data.result;
    };

    const interval = 0.5;
    const bufferDir = mkdtempSync(join(tmpdir(), 'agent-e2e-buf-'));
    const config = join(bufferDir, '..', `agent-e2e-${port}.yaml`);
    writeFileSync(config, `url: ${url}\ntoken: ${ingest}\nintervalSeconds: ${interval}\ninstance: e2e-host\nbufferDir: ${bufferDir}\ntimeoutSeconds: 2\n`);
    // With the node flags of the bin's shebang (--jitless …), as installed.
    const shebang = readFileSync(join(root, 'apps', 'agent', 'bin', 'tocsin-agent.js'), 'utf8').split('\n')[0];
    const flags = /^#!\/usr\/bin\/env -S node (.*)$/.exec(shebang)![1].split(' ');
    agent = spawn(process.execPath, [...flags, join(distCopy, 'dist', 'apps', 'agent', 'src', 'main.js'), '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stderr!.on('data', (d: Buffer) => (log += d.toString()));

    await until(async () => (await query('node_time_seconds{instance="e2e-host"}')).length === 1, 15_000, 'first pushes');
    await app!.close();
    app = undefined;
    const downAt = Date.now();
    await until(() => files(bufferDir) >= 6, 15_000, 'buffered batches');
    await startApiOn();
    const upAt = Date.now();
    await until(() => files(bufferDir) === 0, 15_000, 'backfill');
    await new Promise((r) => setTimeout(r, 1500));

    const result = await query('node_time_seconds{instance="e2e-host"}[2m]');
    expect(result).toHaveLength(1);
    expect(result[0].metric).toMatchObject({ job: 'node', instance: 'e2e-host' });
    const ts = result[0].values!.map((v) => v[0] * 1000);
    // Samples cover the outage, and no two neighbours are further apart than one interval plus
    // scheduling slack: the buffered batches filled it.
    expect(ts.filter((t) => t > downAt && t < upAt).length).toBeGreaterThanOrEqual(5);
    const gaps = ts.slice(1).map((t, i) => t - ts[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(interval * 1000 * 1.5);
    // node_time_seconds is the sample's own time.
    const last = result[0].values!.at(-1)!;
    expect(Math.abs(Number(last[1]) - last[0])).toBeLessThan(1);
    expect(Number((await query('count(node_cpu_seconds_total{instance="e2e-host",mode="idle"})'))[0].value![1])).toBeGreaterThan(0);
    expect(Number((await query('tocsin_agent_dropped_batches_total{instance="e2e-host"}'))[0].value![1])).toBe(0);
    expect(log).not.toMatch(/failed|rejected|Warning/);
  }, 90_000);
});
