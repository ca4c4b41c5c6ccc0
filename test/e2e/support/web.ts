import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';

const root = join(__dirname, '..', '..', '..');
const webDir = join(root, 'apps', 'web');
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

export interface RunningWeb {
  url: string;
  stop(): Promise<void>;
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Builds apps/web unless a build newer than every source file exists. Building is ~45 s on two
 * cores, so it happens once and later runs reuse it; the api address is not baked in (the
 * /graphql proxy reads API_INTERNAL_URL at run time), so one build serves any test api.
 */
export function ensureWebBuild(): void {
  const buildId = join(webDir, '.next', 'BUILD_ID');
  const sources = ['src', 'next.config.ts', 'tsconfig.json']
    .map((p) => join(webDir, p))
    .filter(existsSync);
  if (existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...sources.map(newestMtime)))
    return;
  const result = spawnSync(process.execPath, [nextBin, 'build', webDir], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `next build apps/web failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}


async function waitForHttp(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the web server exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the web server did not answer ${url} within ${timeoutMs} ms:\n${output()}`);
}

/**
 * The production web app (`next start`, built first if needed) on a free 127.0.0.1 port,
 * proxying /graphql to `apiUrl`.
 */
export async function startWeb({ apiUrl }: { apiUrl: string }): Promise<RunningWeb> {
  ensureWebBuild();
  const port = await freePort();
  let log = '';
  const child = spawn(
    process.execPath,
    [nextBin, 'start', webDir, '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...process.env,
        API_INTERNAL_URL: apiUrl,
        NEXT_TELEMETRY_DISABLED: '1',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => (log += String(d)));
  child.stderr?.on('data', (d) => (log += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(`${url}/login`, child, () => log, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
