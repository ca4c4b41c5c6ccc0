import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gql, signUp, type SignedUp } from './support/api';
import { freePort } from './support/free-port';

/**
 * The built api with API_PROCESSES=2: a primary and two api processes sharing one port. Every
 * request here opens its own connection, so the primary hands them to both processes in turn.
 * Ingest written through both is one set of series and is queryable through both; a
 * subscription held by either process hears an event published elsewhere (Redis pub/sub); a
 * killed api process is logged and replaced while the other serves; SIGTERM to the primary
 * lets an accepted request finish before everything exits.
 */
const root = join(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(check: () => Promise<T> | T, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}


/** One request on a connection of its own (fetch would keep reusing one, so one process). */
function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url} in 10 s`)));
    req.end(init.body);
  });
}

const childrenOf = (pid: number): number[] =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);

describe('API_PROCESSES=2 (e2e, built api)', () => {
  let distCopy: string;
  let primary: ChildProcess;
  let out = '';
  let url: string;
  let who: SignedUp;
  let ingestKey: string;
  let readKey: string;
  const listening = () => out.split('GraphQL on http').length - 1;

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
    // A private copy, so a colleague's rebuild (which empties dist/) cannot pull it away mid-test.
    mkdirSync(join(root, '.data'), { recursive: true });
    distCopy = mkdtempSync(join(root, '.data', 'api-processes-e2e-'));
    cpSync(join(root, 'dist'), join(distCopy, 'dist'), { recursive: true });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    primary = spawn(process.execPath, [join(distCopy, 'dist', 'apps', 'api', 'src', 'main.js')], {
      env: {
        ...process.env,
        // 'test' silences the "GraphQL on" line each api process logs once it listens.
        NODE_ENV: 'development',
        API_PROCESSES: '2',
        API_HOST: '127.0.0.1',
        API_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    primary.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    primary.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    // Generous: a loaded CI machine has taken over 30 s to start one built process.
    await until(
      () => listening() >= 2 || primary.exitCode !== null,
      120_000,
      'two api processes',
    ).catch((err: Error) => {
      throw new Error(`${err.message}; output so far:\n${out.slice(-3000)}`);
    });
    if (primary.exitCode !== null) throw new Error(`api exited at start:\n${out.slice(-3000)}`);
    expect(childrenOf(primary.pid!)).toHaveLength(2);

    who = await signUp(url, 'processes');
    const key = async (scope: string) => {
      const r = await gql(
        url,
        `mutation { createApiKey(input: { name: "${scope}", scopes: [${scope}] }) { secret } }`,
        {},
        { token: who.token },
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!.createApiKey.secret as string;
    };
    ingestKey = await key('INGEST');
    readKey = await key('READ');
  }, 180_000);

  afterAll(async () => {
    if (primary && primary.exitCode === null && primary.signalCode === null) {
      const kids = childrenOf(primary.pid!);
      primary.kill('SIGKILL');
      for (const pid of kids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    if (distCopy) rmSync(distCopy, { recursive: true, force: true });
  });

  const push = (
    series: Array<{ labels: Record<string, string>; samples: Array<[number, number]> }>,
  ) =>
    call(`${url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
      body: JSON.stringify({ series }),
    });
  const query = async (promql: string) => {
    const r = await call(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    expect(r.status).toBe(200);
    return JSON.parse(r.body).data.result as Array<{
      metric: Record<string, string>;
      value: [number, string];
    }>;
  };

  it('ingests through both processes into one set of series, queryable through both', async () => {
    const t0 = Date.now() - 60_000;
    // The same three series from eight connections: both processes create or find each one.
    for (let i = 0; i < 8; i++) {
      const r = await push(
        ['a', 'b', 'c'].map((host) => ({
          labels: { __name__: 'procs_e2e', host },
          samples: [[t0 + i * 1000, i]],
        })),
      );
      expect(r.status).toBe(200);
    }
    for (let i = 0; i < 4; i++) {
      const counts = await query('count_over_time(procs_e2e[5m])');
      expect(counts.map((s) => [s.metric.host, s.value[1]]).sort()).toEqual([
        ['a', '8'],
        ['b', '8'],
        ['c', '8'],
      ]);
    }
    // Whichever process takes the scrape, /metrics counts the pushes both of them answered.
    for (let i = 0; i < 3; i++) {
      const metrics = (await call(`${url}/metrics`)).body;
      expect(metrics).toMatch(
        /^tocsin_http_request_duration_seconds_count\{method="POST",route="[^"]*push",status="200"\} 8$/m,
      );
    }
  });

  it('delivers an event published elsewhere to subscribers on both processes', async () => {
    const { createClient } = await import('graphql-ws');
    const WebSocket = (await import('ws')).default;
    const { RedisPubSub } = await import('@tocsin/queue');
    const { alertsTopic } = await import('@tocsin/alerting');
    // Four connections in a row: the primary alternates, so both processes hold subscribers.
    const events = [0, 0, 0, 0];
    const clients = events.map((_, i) => {
      const client = createClient({
        url: `${url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${who.token}` },
        lazy: false,
      });
      client.subscribe(
        { query: 'subscription { firingAlerts { ruleId } }' },
        { next: () => (events[i] += 1), error: () => undefined, complete: () => undefined },
      );
      return client;
    });
    const pubsub = new RedisPubSub();
    try {
      // The first event is the current list, sent on subscribing.
      await until(() => events.every((n) => n >= 1), 20_000, 'every subscription answering');
      await pubsub.publish(alertsTopic(who.orgId), {
        kind: 'transitions',
        orgId: who.orgId,
        transitions: [],
      });
      await until(
        () => events.every((n) => n >= 2),
        10_000,
        'the published event on every subscription',
      );
    } finally {
      for (const c of clients) await c.dispose();
      await pubsub.close();
    }
  });

  it('replaces a killed api process while the other one serves', async () => {
    const [victim, survivor] = childrenOf(primary.pid!);
    process.kill(victim, 'SIGKILL');
    // A connection the primary handed to the victim just before it died is lost with it (as
    // with any process that crashes); once the primary has seen the exit, none is.
    await until(
      () => out.includes(`api process ${victim} exited unexpectedly (signal SIGKILL)`),
      10_000,
      'the crash logged',
    );
    // While the replacement starts, every new connection reaches the survivor.
    for (let i = 0; i < 4; i++) expect((await call(`${url}/healthz`)).status).toBe(200);
    expect(listening()).toBe(2);
    await until(() => listening() >= 3, 120_000, 'a replacement listening');
    const now = childrenOf(primary.pid!);
    expect(now).toHaveLength(2);
    expect(now).toContain(survivor);
    expect(now).not.toContain(victim);
    // /metrics answers for all processes, whichever one takes the scrape.
    for (let i = 0; i < 3; i++) {
      const metrics = (await call(`${url}/metrics`)).body;
      expect(metrics).toMatch(/^tocsin_api_processes 2$/m);
      expect(metrics).toMatch(/^tocsin_api_process_restarts_total 1$/m);
    }
    const r = await push([
      { labels: { __name__: 'procs_e2e_after', host: 'a' }, samples: [[Date.now() - 1000, 1]] },
    ]);
    expect(r.status).toBe(200);
    expect(await query('procs_e2e_after')).toHaveLength(1);
  });

  it('on SIGTERM finishes a request it had accepted, then exits', async () => {
    const kids = childrenOf(primary.pid!);
    const body = JSON.stringify({
      series: [
        { labels: { __name__: 'procs_e2e_drain', host: 'a' }, samples: [[Date.now() - 1000, 7]] },
      ],
    });
    // Headers and half the body now, the rest after the primary was told to stop.
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(
        `${url}/api/v1/push`,
        {
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            authorization: `Bearer ${ingestKey}`,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 20));
      setTimeout(() => {
        primary.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(20)), 1000);
      }, 500);
    });
    const exited = new Promise<number | null>((resolve) =>
      primary.once('exit', (code) => resolve(code)),
    );
    expect(await answered).toBe(200);
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: stopping 2 api process(es)');
    for (const pid of kids) expect(() => process.kill(pid, 0)).toThrow();

    // Committed before the answer: the sample is in the head log.
    const { Client } = await import('pg');
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      const { rows } = await pg.query(
        `SELECT count(*)::int AS n FROM series WHERE org_id = $1 AND metric = 'procs_e2e_drain'`,
        [who.orgId],
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await pg.end();
    }
  });
});
