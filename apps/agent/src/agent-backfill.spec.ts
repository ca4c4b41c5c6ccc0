import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWriteRequest } from '@tocsin/ingest';
import { Agent } from './agent';
import { parseAgentConfig, type AgentConfig } from './agent-config';

// The agent in-process against real HTTP servers on loopback: a remote_write receiver decoding
// with the server's decoder, and a scrape target whose counter goes up by one per scrape, so
// every collection carries a sequence number and a gap or a duplicate shows up exactly.

interface Row {
  labels: Record<string, string>;
  value: number;
  ts: number;
}

class Receiver {
  batches: Row[][] = [];
  /** What to answer while listening: 204, or a status to refuse batches with. */
  status = 204;
  private server: Server | undefined;
  port = 0;

  async up(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.status !== 204) return void res.writeHead(this.status).end('refused');
        const batch = decodeWriteRequest(Buffer.concat(chunks));
        this.batches.push(batch.series.map((s) => ({ labels: Object.fromEntries(s.labelNames.map((n, i) => [n, s.labelValues[i]])), value: s.values[0], ts: s.timestamps[0] })));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Gone: the port refuses connections, kept-alive ones included. */
  async down(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    const closed = new Promise((r) => s.close(r));
    s.closeAllConnections();
    await closed;
  }

  series(name: string): Row[] {
    return this.batches.flatMap((b) => b.filter((r) => r.labels.__name__ === name));
  }
}

async function counterTarget(): Promise<{ url: string; scrapes: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`# TYPE test_seq counter\ntest_seq ${++n}\n`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, scrapes: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ms: number, fn: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('Agent against a real remote_write receiver', () => {
  const receiver = new Receiver();
  let target: Awaited<ReturnType<typeof counterTarget>>;
  const agents: Agent[] = [];
  const bufferDirs: string[] = [];
  const logged: string[] = [];
  const agentWith = (over: Partial<AgentConfig>) => {
    const bufferDir = mkdtempSync(join(tmpdir(), 'agent-backfill-'));
    bufferDirs.push(bufferDir);
    const agent = new Agent(
      parseAgentConfig({ url: `http://127.0.0.1:${receiver.port}`, token: 't', instance: 'host-1', intervalSeconds: 0.2, timeoutSeconds: 2, hostMetrics: false, bufferDir, scrape: [{ job: 'app', url: target.url }], ...over }),
      (m) => logged.push(m),
    );
    agents.push(agent);
    return { agent, bufferDir };
  };
  const rwFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.rw')).length;

  beforeEach(async () => {
    receiver.batches = [];
    receiver.status = 204;
    receiver.port = 0;
    await receiver.up();
    target = await counterTarget();
  });

  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
    await receiver.down();
    await target.close();
  });

  it('forwards scraped samples with job/instance labels and up, and its own series', async () => {
    const { agent } = agentWith({ labels: { dc: 'eu' }, scrape: [{ job: 'app', url: target.url, labels: { team: 'a' } }] });
    await agent.tick(1_700_000_000_000);
    await agent.kick();
    const instance = new URL(target.url).host;
    const rows = receiver.batches.flat();
    expect(rows).toContainEqual({ labels: { __name__: 'test_seq', job: 'app', instance, team: 'a', dc: 'eu' }, value: 1, ts: 1_700_000_000_000 });
    expect(rows).toContainEqual({ labels: { __name__: 'up', job: 'app', instance, team: 'a', dc: 'eu' }, value: 1, ts: 1_700_000_000_000 });
    expect(rows.find((r) => r.labels.__name__ === 'tocsin_agent_buffered_batches')?.labels).toEqual({ __name__: 'tocsin_agent_buffered_batches', job: 'node', instance: 'host-1', dc: 'eu' });
    // A target that is gone: up 0, and the batch still goes.
    await target.close();
    await agent.tick(1_700_000_001_000);
    await agent.kick();
    expect(receiver.series('up').map((r) => r.value)).toEqual([1, 0]);
    expect(logged.some((m) => /scrape .* failed/.test(m))).toBe(true);
    target = await counterTarget(); // for afterEach
  });

  it('backfills a multi-interval outage in order, with no gap and no duplicate, writing to disk only while down', async () => {
    const { agent, bufferDir } = agentWith({});
    agent.start();
    await until('the first pushes', 5000, () => receiver.series('test_seq').length >= 5);
    // Online: batches went straight from memory.
    expect(agent.backlog.spilled).toBe(0);
    expect(rwFiles(bufferDir)).toBe(0);

    // ~3 s (15 intervals) away: first the port refuses, then the api answers 503 (storage down).
    await receiver.down();
    const atDown = target.scrapes();
    await sleep(1500);
    expect(rwFiles(bufferDir)).toBeGreaterThanOrEqual(4);
    await receiver.up();
    receiver.status = 503;
    await sleep(1500);
    const buffered = rwFiles(bufferDir);
    expect(buffered).toBeGreaterThanOrEqual(10);
    receiver.status = 204;

    await until('the backfill', 10_000, () => agent.backlog.length === 0 && target.scrapes() > atDown + buffered + 3);
    await agent.stop();
    agents.length = 0;

    const seq = receiver.series('test_seq');
    const values = seq.map((r) => r.value);
    // Every scrape, once, in order: 1, 2, …, n.
    expect(values).toEqual(Array.from({ length: target.scrapes() }, (_, i) => i + 1));
    const ts = seq.map((r) => r.ts);
    expect(ts.every((t, i) => i === 0 || t > ts[i - 1])).toBe(true);
    expect(agent.backlog.spilled).toBeGreaterThanOrEqual(buffered);
    expect(rwFiles(bufferDir)).toBe(0);
    expect(receiver.series('tocsin_agent_dropped_batches_total').every((r) => r.value === 0)).toBe(true);
    // The agent reported its own backlog while it was building up.
    expect(Math.max(...receiver.series('tocsin_agent_buffered_batches').map((r) => r.value))).toBeGreaterThanOrEqual(10);
  }, 30_000);

  it('over the disk budget drops the oldest batches of the outage, and counts them', async () => {
    // Each batch here is ~150 bytes: the budget holds a handful, the outage makes ~15.
    const { agent } = agentWith({ bufferMaxBytes: 800, memoryBatches: 1 });
    agent.start();
    await until('the first pushes', 5000, () => receiver.series('test_seq').length >= 3);
    await receiver.down();
    await sleep(3000);
    await receiver.up();
    // Until a batch made after the last drop has arrived (a batch counts the drops before it).
    await until('the backfill', 10_000, () => agent.backlog.length === 0 && agent.backlog.dropped > 0 && receiver.series('tocsin_agent_dropped_batches_total').at(-1)?.value === agent.backlog.dropped);
    await agent.stop();
    agents.length = 0;

    const values = receiver.series('test_seq').map((r) => r.value);
    const all = Array.from({ length: target.scrapes() }, (_, i) => i + 1);
    const missing = all.filter((v) => !values.includes(v));
    // In order, no duplicate, and what is missing is one run from the start of the outage.
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(missing.length).toBe(agent.backlog.dropped);
    expect(missing).toEqual(Array.from({ length: missing.length }, (_, i) => missing[0] + i));
    expect(values.at(-1)).toBe(target.scrapes());
    // The count arrives as a series.
    expect(receiver.series('tocsin_agent_dropped_batches_total').at(-1)!.value).toBe(missing.length);
  }, 30_000);
});
