import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfs as statfsReal, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWriteRequest, encodeWriteRequest } from '@tocsin/ingest';
import { encodeLabels, WriteRequestBuilder } from '@tocsin/ingest/remote-write-encoder';
import { loadAgentConfig, parseAgentConfig } from './agent-config';
import { Backlog } from './backlog';
import { HostCollector } from './collectors/host-collector';
import { DiskBuffer } from './disk-buffer';

describe('HostCollector on a fixture /proc', () => {
  const proc = mkdtempSync(join(tmpdir(), 'agent-proc-'));
  mkdirSync(join(proc, 'net'));
  writeFileSync(join(proc, 'stat'), 'cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 250 1 120 9000 15 0 3 0 0 0\nintr 99 1 2\nbtime 1700000000\nctxt 42\nprocesses 77\n');
  writeFileSync(join(proc, 'meminfo'), 'MemTotal:       16000 kB\nMemAvailable:    8000 kB\nActive(anon):     100 kB\nHugePages_Total:       0\n');
  writeFileSync(join(proc, 'loadavg'), '0.50 0.25 0.10 1/100 1234\n');
  writeFileSync(join(proc, 'mounts'), 'proc /proc proc rw 0 0\ntmpfs /run tmpfs rw 0 0\n/dev/root / ext4 rw,relatime 0 0\n/dev/nope /no\\040such ext4 ro 0 0\n');
  writeFileSync(join(proc, 'diskstats'), '   8       0 sda 100 0 2048 50 200 0 4096 70 0 1500 120 0 0 0 0\n   8       1 sda1 1 0 8 1 1 0 8 1 0 1 1 0 0 0 0\n   7       0 loop0 1 0 8 1 1 0 8 1 0 1 1 0 0 0 0\n');
  writeFileSync(join(proc, 'net/dev'), 'Inter-|   Receive\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed\n  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n    lo:    5    1 0 0 0 0 0 0    5    1 0 0 0 0 0 0\n');
  const sys = mkdtempSync(join(tmpdir(), 'agent-sys-'));
  for (const [dev, operstate, mtu, speed] of [['eth0', 'up', '1500', '1000'], ['lo', 'unknown', '65536', undefined]]) {
    mkdirSync(join(sys, 'class/net', dev!), { recursive: true });
    writeFileSync(join(sys, 'class/net', dev!, 'operstate'), `${operstate}\n`);
    writeFileSync(join(sys, 'class/net', dev!, 'mtu'), `${mtu}\n`);
    if (speed) writeFileSync(join(sys, 'class/net', dev!, 'speed'), `${speed}\n`);
  }
  const collector = new HostCollector({ procRoot: proc, sysRoot: sys, now: () => 1_700_000_123_000 });
  let samples: { labels: Readonly<Record<string, string>>; value: number }[] = [];
  beforeAll(async () => {
    samples = (await collector.collect()).map((s) => ({ labels: s.labels, value: s.value }));
  });
  const get = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.labels.__name__ === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);

  it('uses node_exporter names, labels and units', () => {
    expect(get('node_cpu_seconds_total', { cpu: '0', mode: 'user' })).toEqual([2.5]);
    expect(get('node_cpu_seconds_total', { cpu: '0', mode: 'idle' })).toEqual([90]);
    expect(get('node_cpu_seconds_total', { cpu: '0' })).toHaveLength(8);
    expect(get('node_cpu_seconds_total')).toHaveLength(8); // the "cpu" total line is not a CPU
    expect(get('node_memory_MemTotal_bytes')).toEqual([16000 * 1024]);
    expect(get('node_memory_Active_anon_bytes')).toEqual([100 * 1024]);
    expect(get('node_memory_HugePages_Total')).toEqual([0]);
    expect(get('node_load1')).toEqual([0.5]);
    expect(get('node_load15')).toEqual([0.1]);
    expect(get('node_boot_time_seconds')).toEqual([1700000000]);
    expect(get('node_intr_total')).toEqual([99]);
    expect(get('node_forks_total')).toEqual([77]);
    expect(get('node_time_seconds')).toEqual([1_700_000_123]);
    expect(get('node_disk_read_bytes_total', { device: 'sda' })).toEqual([2048 * 512]);
    expect(get('node_disk_written_bytes_total', { device: 'sda' })).toEqual([4096 * 512]);
    expect(get('node_disk_io_time_seconds_total', { device: 'sda' })).toEqual([1.5]);
    expect(get('node_disk_read_bytes_total', { device: 'sda1' })).toEqual([]);
    expect(get('node_disk_read_bytes_total', { device: 'loop0' })).toEqual([]);
    expect(get('node_network_receive_bytes_total', { device: 'eth0' })).toEqual([1000]);
    expect(get('node_network_transmit_bytes_total', { device: 'eth0' })).toEqual([2000]);
    expect(get('node_network_transmit_packets_total', { device: 'lo' })).toEqual([]); // Debian's default excludes lo
    // From /sys/class/net, as node_exporter's netclass: speed in bytes/s, absent where unreadable.
    expect(get('node_network_up', { device: 'eth0' })).toEqual([1]);
    expect(get('node_network_up', { device: 'lo' })).toEqual([0]);
    expect(get('node_network_mtu_bytes', { device: 'lo' })).toEqual([65536]);
    expect(get('node_network_speed_bytes', { device: 'eth0' })).toEqual([125_000_000]);
    expect(get('node_network_speed_bytes', { device: 'lo' })).toEqual([]);
    // /proc is excluded; / is real on the machine running the test (statfs of the real root).
    expect(get('node_filesystem_size_bytes', { mountpoint: '/proc' })).toEqual([]);
    expect(get('node_filesystem_size_bytes', { mountpoint: '/run' })).toEqual([]);
    expect(get('node_filesystem_size_bytes', { mountpoint: '/' })[0]).toBeGreaterThan(0);
    expect(get('node_filesystem_avail_bytes', { mountpoint: '/' })[0]).toBeLessThanOrEqual(get('node_filesystem_free_bytes', { mountpoint: '/' })[0]);
    expect(get('node_filesystem_device_error', { mountpoint: '/' })).toEqual([0]);
    expect(get('node_filesystem_readonly', { mountpoint: '/' })).toEqual([0]);
    // A mount statfs cannot reach: device_error 1 and no sizes, as node_exporter; octal escapes decoded.
    expect(get('node_filesystem_device_error', { mountpoint: '/no such' })).toEqual([1]);
    expect(get('node_filesystem_readonly', { mountpoint: '/no such' })).toEqual([1]);
    expect(get('node_filesystem_size_bytes', { mountpoint: '/no such' })).toEqual([]);
  });

  it('re-reads the files each collection, keeping series objects and forgetting vanished devices', async () => {
    const before = await collector.collect();
    const cpu0User = before.find((s) => s.labels.__name__ === 'node_cpu_seconds_total' && s.labels.mode === 'user')!;
    writeFileSync(join(proc, 'stat'), 'cpu0 350 1 120 9000 15 0 3 0 0 0\nbtime 1700000000\n');
    writeFileSync(join(proc, 'net/dev'), 'Inter-|   Receive\n face |bytes\n  eth0: 3000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n');
    samples = (await collector.collect()).map((s) => ({ labels: s.labels, value: s.value }));
    expect(cpu0User.value).toBe(3.5);
    expect(await collector.collect()).toContain(cpu0User);
    expect(get('node_network_receive_bytes_total', { device: 'eth0' })).toEqual([3000]);
    expect(get('node_network_receive_bytes_total', { device: 'lo' })).toEqual([]);
    expect(get('node_network_up', { device: 'lo' })).toEqual([]);
    expect(get('node_context_switches_total')).toEqual([]);
  });

  it('reads the real /proc too', async () => {
    const real = new HostCollector();
    for (let i = 0; i < 2; i++) {
      const s = await real.collect();
      expect(s.some((x) => x.labels.__name__ === 'node_cpu_seconds_total')).toBe(true);
      expect(s.find((x) => x.labels.__name__ === 'node_memory_MemAvailable_bytes')!.value).toBeGreaterThan(0);
      expect(s.find((x) => x.labels.__name__ === 'node_network_mtu_bytes' && x.labels.device === 'lo')!.value).toBeGreaterThan(0);
    }
    real.close();
  });

  it('gives up on a mount whose statfs hangs, reports it as a device error and skips it until that call returns', async () => {
    // A hung NFS server cannot be set up here, so statfs is replaced by one that holds its answer
    // for the mount named "/hung" until the test releases it; every other mount gets the real call.
    const held: (() => void)[] = [];
    let hungCalls = 0;
    const statfs: NonNullable<ConstructorParameters<typeof HostCollector>[0]>['statfs'] = (path, cb) => {
      if (path !== '/hung') return statfsReal(path, cb);
      hungCalls++;
      held.push(() => statfsReal('/', cb));
    };
    writeFileSync(join(proc, 'mounts'), '/dev/root / ext4 rw 0 0\nnfs:/x /hung nfs4 rw 0 0\n');
    const c = new HostCollector({ procRoot: proc, sysRoot: sys, statfs, statfsTimeoutMs: 50 });
    const at = (s: readonly { labels: Readonly<Record<string, string>>; value: number }[], name: string, mountpoint: string) =>
      s.filter((x) => x.labels.__name__ === name && x.labels.mountpoint === mountpoint).map((x) => x.value);

    const started = Date.now();
    let s = await c.collect();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(at(s, 'node_filesystem_device_error', '/hung')).toEqual([1]);
    expect(at(s, 'node_filesystem_size_bytes', '/hung')).toEqual([]);
    expect(at(s, 'node_filesystem_device_error', '/')).toEqual([0]);

    // Still stuck: not asked again (one pool thread per hung mount at most), still an error.
    s = await c.collect();
    expect(hungCalls).toBe(1);
    expect(at(s, 'node_filesystem_device_error', '/hung')).toEqual([1]);

    // The call returns at last: the next collection asks again and reads sizes.
    held.shift()!();
    await new Promise((r) => setTimeout(r, 20));
    const answer = c.collect();
    held.shift()!();
    s = await answer;
    expect(hungCalls).toBe(2);
    expect(at(s, 'node_filesystem_device_error', '/hung')).toEqual([0]);
    expect(at(s, 'node_filesystem_size_bytes', '/hung')[0]).toBeGreaterThan(0);
    c.close();
  });
});

describe('remote_write encoder (agent entry)', () => {
  it('decodes with the server decoder to what was added, bytes of NaN payloads included', () => {
    const stale = new Float64Array(new Uint32Array([0x00000002, 0x7ff00000]).buffer)[0];
    const b = new WriteRequestBuilder(16); // tiny, so the buffer has to grow
    const a = encodeLabels({ job: 'node', __name__: 'up', instance: 'h:1' });
    const u = encodeLabels({ __name__: 'ünïcode_value', v: 'äö' });
    b.add(a, 1_700_000_000_000, 1);
    b.add(u, 0, -2.5);
    b.add(a, 2 ** 53 - 1, stale);
    const decoded = decodeWriteRequest(b.finish());
    const rows = decoded.series.map((s) => ({ labels: Object.fromEntries(s.labelNames.map((n, i) => [n, s.labelValues[i]])), ts: s.timestamps[0], v: s.values[0] }));
    expect(rows.slice(0, 2)).toEqual([
      { labels: { __name__: 'up', instance: 'h:1', job: 'node' }, ts: 1_700_000_000_000, v: 1 },
      { labels: { __name__: 'ünïcode_value', v: 'äö' }, ts: 0, v: -2.5 },
    ]);
    expect(rows[2].ts).toBe(2 ** 53 - 1);
    expect(Buffer.from(new Float64Array([rows[2].v]).buffer)).toEqual(Buffer.from(new Float64Array([stale]).buffer));
    // Same labels in the same order as the lib's general encoder, so both produce equal series.
    const general = decodeWriteRequest(encodeWriteRequest([{ labels: { job: 'node', __name__: 'up', instance: 'h:1' }, timestamps: [5], values: [1] }]));
    expect(general.series[0].labelNames).toEqual(decoded.series[0].labelNames);
    // finish() starts over.
    expect(decodeWriteRequest(b.finish()).series).toEqual([]);
    expect(() => b.add(a, 1.5, 1)).toThrow(/timestamp/);
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
    expect(reopened.peek()!.body.toString()).toBe('batch-3...');
    reopened.shift();
    reopened.push(Buffer.from('batch-5...'));
    expect(reopened.peek()!.body.toString()).toBe('batch-4...');
    reopened.shift();
    expect(reopened.peek()).toMatchObject({ seq: 5 });
    expect(() => reopened.push(Buffer.from('x'), 2)).toThrow(/out of order/);
    reopened.shift();
    expect(reopened.peek()).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('Backlog', () => {
  const batch = (i: number) => Buffer.from(`batch-${String(i).padStart(3, '0')}`); // 9 bytes
  const drainAll = (b: Backlog) => {
    const out: string[] = [];
    for (let next = b.peek(); next; next = b.peek()) {
      out.push(next.body.toString());
      b.ack(next.seq);
    }
    return out;
  };

  it('keeps batches in memory while sends succeed, and never touches the disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-backlog-'));
    const b = new Backlog(new DiskBuffer(dir, 1000), 4, () => undefined);
    for (let i = 0; i < 3; i++) b.push(batch(i));
    expect(drainAll(b)).toEqual(['batch-000', 'batch-001', 'batch-002']);
    expect(readdirSync(dir)).toEqual([]);
    expect(b.spilled).toBe(0);
  });

  it('spills in order when a send fails or memory is full, appends behind the disk backlog, and acks across a spill', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-backlog-'));
    const b = new Backlog(new DiskBuffer(dir, 1000), 2, () => undefined);
    b.push(batch(0));
    const inFlight = b.peek()!; // a send of batch 0 starts…
    b.push(batch(1));
    b.push(batch(2)); // …memory over 2 batches: both spill, the in-flight one included
    expect(readdirSync(dir)).toHaveLength(3);
    b.ack(inFlight.seq); // …and the send succeeds: the disk copy goes
    b.push(batch(3)); // disk not empty: appended there, behind 1 and 2
    expect(readdirSync(dir)).toHaveLength(3);
    expect(drainAll(b)).toEqual(['batch-001', 'batch-002', 'batch-003']);
    b.push(batch(4));
    expect(readdirSync(dir)).toEqual([]); // back to memory once the disk is empty
    b.spill(); // stop() with an unsent batch
    expect(drainAll(new Backlog(new DiskBuffer(dir, 1000), 2, () => undefined))).toEqual(['batch-004']);
  });

  it('drops the oldest over the disk budget; an ack of a dropped batch removes nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-backlog-'));
    const b = new Backlog(new DiskBuffer(dir, 30), 0, () => undefined); // three 9-byte batches fit
    b.push(batch(0));
    const inFlight = b.peek()!;
    for (let i = 1; i < 6; i++) b.push(batch(i));
    expect(b.dropped).toBe(3);
    b.ack(inFlight.seq);
    expect(drainAll(b)).toEqual(['batch-003', 'batch-004', 'batch-005']);
  });

  it('counts a batch it could not write to disk as dropped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-backlog-'));
    const disk = new DiskBuffer(join(dir, 'buf'), 1000);
    const logged: string[] = [];
    const b = new Backlog(disk, 0, (m) => logged.push(m));
    // The directory disappears under the agent: the real fs refuses the write (no stub).
    rmSync(join(dir, 'buf'), { recursive: true });
    b.push(batch(0));
    expect(b.dropped).toBe(1);
    expect(logged[0]).toMatch(/buffer write failed/);
    expect(existsSync(join(dir, 'buf'))).toBe(false);
  });
});

describe('loadAgentConfig', () => {
  it('merges YAML and env, fills defaults, and explains every bad value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-cfg-'));
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, 'url: http://127.0.0.1:4000\ntoken: abc\nintervalSeconds: 15\nscrape:\n  - job: app\n    url: http://127.0.0.1:9000/metrics\n');
    const c = loadAgentConfig(file, { TOCSIN_AGENT_INTERVAL_SECONDS: '5' });
    expect(c).toMatchObject({ url: 'http://127.0.0.1:4000', token: 'abc', intervalSeconds: 5, timeoutSeconds: 10, job: 'node', memoryBatches: 4, hostMetrics: true, scrape: [{ job: 'app', labels: {} }] });
    writeFileSync(file, 'url: nope\nintervalSeconds: -1\nscrape:\n  - url: ftp://x\n');
    let message = '';
    try {
      loadAgentConfig(file, {});
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/url: expected an http\(s\) URL/);
    expect(message).toMatch(/token: required/);
    expect(message).toMatch(/intervalSeconds: expected a number in \(0, 3600\]/);
    expect(message).toMatch(/scrape\.0\.job: required/);
    expect(message).toMatch(/scrape\.0\.url: expected an http\(s\) URL/);
    writeFileSync(file, '- a list\n');
    expect(() => loadAgentConfig(file, {})).toThrow(/expected a YAML mapping/);
    expect(parseAgentConfig({ url: 'https://t.example', token: 't', labels: { dc: 'x' } }).labels).toEqual({ dc: 'x' });
    expect(() => parseAgentConfig({ url: 'https://t.example', token: 't', labels: { dc: 1 } })).toThrow(/labels: expected a mapping of strings/);
  });
});
