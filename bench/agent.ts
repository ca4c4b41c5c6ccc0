// tocsin-agent's CPU and memory next to prometheus-node-exporter, both at a 15 s interval: the
// agent pushes to a local remote_write sink, node_exporter is scraped by this script every 15 s.
// The agent runs twice side by side: with the V8 flags of its bin's shebang (as installed) and
// on plain `node`, so the flags' effect is measured in the same conditions.
// Figures are printed, not asserted.
//   npm run bench:agent          (node scripts/build.mjs && node dist/bench/agent.js)
// Env: BENCH_SECONDS (120), BENCH_INTERVAL_SECONDS (15), NODE_EXPORTER (/usr/bin/prometheus-node-exporter).
// Columns: RSS (VmRSS, what `ps` shows) and anon (RssAnon: the process's private memory; RSS
// minus anon is mapped files, mostly the node or Go binary, shared by every process running it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const INTERVAL = Number(process.env.BENCH_INTERVAL_SECONDS ?? 15);
const NODE_EXPORTER = process.env.NODE_EXPORTER ?? '/usr/bin/prometheus-node-exporter';
const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function memBytes(pid: number): { rss: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon') };
}

/** The node flags of the agent's bin, from its `#!/usr/bin/env -S node …` line. */
function binFlags(bin: string): string[] {
  const m = /^#!\/usr\/bin\/env -S node(.*)$/m.exec(readFileSync(bin, 'utf8').split('\n')[0]);
  if (!m) throw new Error(`${bin}: expected a "#!/usr/bin/env -S node …" line`);
  return m[1].trim().split(/\s+/).filter(Boolean);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

interface Watch {
  name: string;
  child: ChildProcess;
  cpu0: number;
  t0: number;
  rss: number[];
  anon: number[];
}

async function main(): Promise<void> {
  if (!existsSync(NODE_EXPORTER)) throw new Error(`${NODE_EXPORTER} not found: apt-get install -y prometheus-node-exporter`);
  let pushes = 0;
  let pushedBytes = 0;
  const sink = createServer((req, res) => {
    req.on('data', (c: Buffer) => (pushedBytes += c.length));
    req.on('end', () => {
      pushes++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

  const exporterPort = await freePort();
  const exporter = spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${exporterPort}`], { stdio: 'ignore' });
  const bufferDir = mkdtempSync(join(tmpdir(), 'bench-agent-'));
  const root = join(__dirname, '..', '..');
  const bin = join(root, 'apps', 'agent', 'bin', 'tocsin-agent.js');
  const flags = binFlags(bin);
  const startAgent = (nodeFlags: string[], n: number) =>
    spawn(process.execPath, [...nodeFlags, bin], {
      env: { ...process.env, TOCSIN_AGENT_URL: sinkUrl, TOCSIN_AGENT_TOKEN: 'bench', TOCSIN_AGENT_INTERVAL_SECONDS: String(INTERVAL), TOCSIN_AGENT_BUFFER_DIR: join(bufferDir, String(n)) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  const agent = startAgent(flags, 1);
  const plainAgent = startAgent([], 2);
  let scrapes = 0;
  let scrapedBytes = 0;
  const scrapeTimer = setInterval(() => {
    void fetch(`http://127.0.0.1:${exporterPort}/metrics`)
      .then((r) => r.text())
      .then((t) => {
        scrapes++;
        scrapedBytes += t.length;
      })
      .catch(() => undefined);
  }, INTERVAL * 1000);

  // Start-up (module loading) is not the steady state being measured.
  await new Promise((r) => setTimeout(r, 3000));
  const watch = (name: string, child: ChildProcess): Watch => ({ name, child, cpu0: cpuSeconds(child.pid!), t0: Date.now(), rss: [], anon: [] });
  const watches: Watch[] = [watch('tocsin-agent (bin flags)', agent), watch('tocsin-agent (plain node)', plainAgent), watch('prometheus-node-exporter', exporter)];
  const rssTimer = setInterval(
    () =>
      watches.forEach((w) => {
        const m = memBytes(w.child.pid!);
        w.rss.push(m.rss);
        w.anon.push(m.anon);
      }),
    1000,
  );
  process.stdout.write(`measuring for ${SECONDS} s at a ${INTERVAL} s interval; agent bin flags: ${flags.join(' ')}…\n`);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  clearInterval(rssTimer);
  clearInterval(scrapeTimer);

  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  process.stdout.write(`\n${'process'.padEnd(27)} ${'CPU %'.padStart(7)} ${'CPU s'.padStart(7)} ${'RSS avg MB'.padStart(11)} ${'RSS max MB'.padStart(11)} ${'anon avg MB'.padStart(12)}\n`);
  for (const w of watches) {
    const cpu = cpuSeconds(w.child.pid!) - w.cpu0;
    const wall = (Date.now() - w.t0) / 1000;
    process.stdout.write(
      `${w.name.padEnd(27)} ${((cpu / wall) * 100).toFixed(3).padStart(7)} ${cpu.toFixed(2).padStart(7)} ${mb(avg(w.rss)).padStart(11)} ${mb(Math.max(...w.rss)).padStart(11)} ${mb(avg(w.anon)).padStart(12)}\n`,
    );
  }
  process.stdout.write(`\nagent pushes: ${pushes} (both agents; ${(pushedBytes / Math.max(1, pushes) / 1024).toFixed(1)} KiB each, snappy); node_exporter scrapes: ${scrapes} (${(scrapedBytes / Math.max(1, scrapes) / 1024).toFixed(1)} KiB each, text)\n`);
  agent.kill('SIGTERM');
  plainAgent.kill('SIGTERM');
  exporter.kill('SIGTERM');
  sink.close();
  rmSync(bufferDir, { recursive: true, force: true });
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
