import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { parseExposition } from '@tocsin/probes/exposition';
import { HostCollector } from './collectors/host-collector';

// The agent's host series next to the real node_exporter's on the same machine (Debian's
// prometheus-node-exporter, which this repo's benches and e2e tests also use): same names, same
// label sets, same values where they cannot move between the two reads.
const NODE_EXPORTER = process.env.NODE_EXPORTER ?? '/usr/bin/prometheus-node-exporter';

describe('HostCollector against the real node_exporter', () => {
  let exporter: ChildProcess | undefined;
  afterAll(() => exporter?.kill('SIGTERM'));

  it('exposes the same series, with equal values for what does not change between reads', async () => {
    if (!existsSync(NODE_EXPORTER)) throw new Error(`${NODE_EXPORTER} is missing: apt-get install -y prometheus-node-exporter`);
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    exporter = spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    let text = '';
    for (let i = 0; i < 50 && !text; i++) {
      text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => '');
      if (!text) await new Promise((r) => setTimeout(r, 100));
    }
    const theirs = parseExposition(text);
    const ours = (await new HostCollector().collect()).map((s) => ({ labels: { ...s.labels }, value: s.value }));
    const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());
    const theirKeys = new Map(theirs.map((s) => [key(s.labels), s.value]));
    const names = new Set(ours.map((s) => s.labels.__name__));

    // Every series the agent sends exists in node_exporter's output, labels and all …
    const missing = ours.filter((s) => !theirKeys.has(key(s.labels))).map((s) => key(s.labels));
    expect(missing).toEqual([]);
    // … and node_exporter has no other series under those names (no device or mount forgotten).
    const ourKeys = new Set(ours.map((s) => key(s.labels)));
    const extra = theirs.filter((s) => names.has(s.labels.__name__) && !ourKeys.has(key(s.labels))).map((s) => key(s.labels));
    expect(extra).toEqual([]);

    const same = (name: string) => {
      const o = ours.filter((s) => s.labels.__name__ === name);
      expect(o.length).toBeGreaterThan(0);
      for (const s of o) expect([name, s.labels, s.value]).toEqual([name, s.labels, theirKeys.get(key(s.labels))]);
    };
    for (const name of ['node_boot_time_seconds', 'node_memory_MemTotal_bytes', 'node_network_mtu_bytes', 'node_network_up', 'node_filesystem_size_bytes', 'node_filesystem_readonly']) same(name);
  });
});
