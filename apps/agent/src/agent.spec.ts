import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentConfig } from './agent-config';
import { HostCollector } from './collectors/host-collector';
import { DiskBuffer } from './disk-buffer';

describe('HostCollector on a fixture /proc', () => {
  const proc = mkdtempSync(join(tmpdir(), 'agent-proc-'));
  mkdirSync(join(proc, 'net'));
  writeFileSync(join(proc, 'stat'), 'cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 250 1 120 9000 15 0 3 0 0 0\nbtime 1700000000\nctxt 42\n');
  writeFileSync(join(proc, 'meminfo'), 'MemTotal:       16000 kB\nMemAvailable:    8000 kB\nActive(anon):     100 kB\nHugePages_Total:       0\n');
  writeFileSync(join(proc, 'loadavg'), '0.50 0.25 0.10 1/100 1234\n');
  writeFileSync(join(proc, 'mounts'), 'proc /proc proc rw 0 0\n/dev/root / ext4 rw 0 0\n');
  writeFileSync(join(proc, 'diskstats'), '   8       0 sda 100 0 2048 50 200 0 4096 70 0 1500 120 0 0 0 0\n   8       1 sda1 1 0 8 1 1 0 8 1 0 1 1 0 0 0 0\n   7       0 loop0 1 0 8 1 1 0 8 1 0 1 1 0 0 0 0\n');
  writeFileSync(join(proc, 'net/dev'), 'Inter-|   Receive\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed\n  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n');
  const samples = new HostCollector({ procRoot: proc, now: () => 1_700_000_123_000 }).collect();
  const get = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.labels.__name__ === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);

  it('uses node_exporter names, labels and units', () => {
    expect(get('node_cpu_seconds_total', { cpu: '0', mode: 'user' })).toEqual([2.5]);
    expect(get('node_cpu_seconds_total', { cpu: '0', mode: 'idle' })).toEqual([90]);
    expect(get('node_cpu_seconds_total', { cpu: '0' })).toHaveLength(8);
    expect(get('node_memory_MemTotal_bytes')).toEqual([16000 * 1024]);
    expect(get('node_memory_Active_anon_bytes')).toEqual([100 * 1024]);
    expect(get('node_memory_HugePages_Total')).toEqual([0]);
    expect(get('node_load1')).toEqual([0.5]);
    expect(get('node_load15')).toEqual([0.1]);
    expect(get('node_boot_time_seconds')).toEqual([1700000000]);
    expect(get('node_time_seconds')).toEqual([1_700_000_123]);
    expect(get('node_disk_read_bytes_total', { device: 'sda' })).toEqual([2048 * 512]);
    expect(get('node_disk_written_bytes_total', { device: 'sda' })).toEqual([4096 * 512]);
    expect(get('node_disk_io_time_seconds_total', { device: 'sda' })).toEqual([1.5]);
    expect(get('node_disk_read_bytes_total', { device: 'sda1' })).toEqual([]);
    expect(get('node_disk_read_bytes_total', { device: 'loop0' })).toEqual([]);
    expect(get('node_network_receive_bytes_total', { device: 'eth0' })).toEqual([1000]);
    expect(get('node_network_transmit_bytes_total', { device: 'eth0' })).toEqual([2000]);
    // /proc is excluded; / is real on the machine running the test (statfs of the real root).
    expect(get('node_filesystem_size_bytes', { mountpoint: '/proc' })).toEqual([]);
    expect(get('node_filesystem_size_bytes', { mountpoint: '/' })[0]).toBeGreaterThan(0);
    expect(get('node_filesystem_avail_bytes', { mountpoint: '/' })[0]).toBeLessThanOrEqual(get('node_filesystem_free_bytes', { mountpoint: '/' })[0]);
  });

  it('reads the real /proc too', () => {
    const real = new HostCollector().collect();
    expect(real.some((s) => s.labels.__name__ === 'node_cpu_seconds_total')).toBe(true);
    expect(real.some((s) => s.labels.__name__ === 'node_memory_MemAvailable_bytes')).toBe(true);
  });
});

describe('DiskBuffer', () => {
  it('is FIFO, survives reopening, and drops the oldest over its budget, counting them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-buf-'));
    const b = new DiskBuffer(dir, 25);
    for (let i = 0; i < 5; i++) b.push(Buffer.from(`batch-${i}...`)); // 10 bytes each: two fit in 25
    expect(b.length).toBe(2);
    expect(b.dropped).toBe(3);
    const reopened = new DiskBuffer(dir, 25);
    expect(reopened.peek()!.toString()).toBe('batch-3...');
    reopened.shift();
    reopened.push(Buffer.from('batch-5...'));
    expect(reopened.peek()!.toString()).toBe('batch-4...');
    reopened.shift();
    expect(reopened.peek()!.toString()).toBe('batch-5...');
    reopened.shift();
    expect(reopened.peek()).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('loadAgentConfig', () => {
  it('merges YAML and env and explains bad values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-cfg-'));
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, 'url: http://127.0.0.1:4000\ntoken: abc\nintervalSeconds: 15\nscrape:\n  - job: app\n    url: http://127.0.0.1:9000/metrics\n');
    const c = loadAgentConfig(file, { TOCSIN_AGENT_INTERVAL_SECONDS: '5' });
    expect(c).toMatchObject({ url: 'http://127.0.0.1:4000', token: 'abc', intervalSeconds: 5, scrape: [{ job: 'app' }] });
    writeFileSync(file, 'url: nope\n');
    expect(() => loadAgentConfig(file, {})).toThrow(/url: .*\n.*token/s);
  });
});

describe('Agent scraping a local endpoint', () => {
  it('forwards the exposed samples with job/instance labels and up, into the write-ahead buffer', async () => {
    const { createServer } = await import('node:http');
    const { decodeWriteRequest } = await import('@tocsin/ingest');
    const { Agent } = await import('./agent');
    const { agentConfigSchema } = await import('./agent-config');
    const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('# TYPE app_requests_total counter\napp_requests_total{path="/"} 7\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as import('node:net').AddressInfo).port;
    try {
      const agent = new Agent(
        agentConfigSchema.parse({
          // Port 9 on loopback refuses: the batch stays buffered, which is what is inspected.
          url: 'http://127.0.0.1:9',
          token: 't',
          instance: 'host-1',
          hostMetrics: false,
          bufferDir: mkdtempSync(join(tmpdir(), 'agent-scrape-')),
          scrape: [{ job: 'app', url: `http://127.0.0.1:${port}/metrics`, labels: { team: 'a' } }],
        }),
        () => undefined,
      );
      await agent.tick(1_700_000_000_000);
      await agent.kick();
      expect(agent.buffer.length).toBe(1);
      const batch = decodeWriteRequest(agent.buffer.peek()!);
      const series = batch.series.map((s) => ({ labels: Object.fromEntries(s.labelNames.map((n, i) => [n, s.labelValues[i]])), value: s.values[0], ts: s.timestamps[0] }));
      expect(series).toContainEqual({ labels: { __name__: 'app_requests_total', path: '/', job: 'app', instance: `127.0.0.1:${port}`, team: 'a' }, value: 7, ts: 1_700_000_000_000 });
      expect(series).toContainEqual({ labels: { __name__: 'up', job: 'app', instance: `127.0.0.1:${port}`, team: 'a' }, value: 1, ts: 1_700_000_000_000 });
      expect(series.find((s) => s.labels.__name__ === 'tocsin_agent_buffered_batches')?.labels).toMatchObject({ job: 'node', instance: 'host-1' });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
