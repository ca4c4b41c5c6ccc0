import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { encodeWriteRequest } from '@tocsin/ingest';
import { gql, signUp, startApi, type RunningApi, type SignedUp } from './support/api';

/**
 * No lost hand-off: the built worker process is killed (SIGKILL, by an env-guarded test hook)
 * right after an evaluation committed a firing transition and before it reached dispatch. After
 * a restart, the outbox sweeper feeds the transition again and the webhook receives the
 * notification exactly once.
 */
const root = join(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('alert transition outbox (e2e, built worker killed between commit and dispatch)', () => {
  let api: RunningApi;
  let pg: Client;
  let who: SignedUp;
  let distCopy: string;
  let server: Server;
  let worker: ChildProcess | undefined;
  const received: { status: string; labels: Record<string, string> }[] = [];

  const startWorker = async (crashAfterCommit: boolean) => {
    const child = spawn(
      process.execPath,
      [join(distCopy, 'dist', 'apps', 'worker', 'src', 'main.js')],
      {
        env: {
          ...process.env,
          // 'test' silences the "processing jobs" line that says the worker is ready.
          NODE_ENV: 'development',
          NOTIFY_ALLOW_PRIVATE_NETWORKS: 'true',
          TOCSIN_TEST_CRASH_AFTER_EVAL_COMMIT: crashAfterCommit ? '1' : '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    // Generous: a loaded CI machine has taken over 30 s to start the built worker.
    await until(
      () => out.includes('processing jobs') || child.exitCode !== null,
      90_000,
      'worker start',
    ).catch((err: Error) => {
      throw new Error(`${err.message}; its output so far:\n${out.slice(-2000)}`);
    });
    if (child.exitCode !== null) throw new Error(`worker exited at start:\n${out}`);
    return child;
  };

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
    // A private copy, so a colleague's rebuild (which empties dist/) cannot pull it away mid-test.
    mkdirSync(join(root, '.data'), { recursive: true });
    distCopy = mkdtempSync(join(root, '.data', 'outbox-e2e-'));
    cpSync(join(root, 'dist'), join(distCopy, 'dist'), { recursive: true });

    server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push(...(JSON.parse(data).alerts ?? []));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env.NOTIFY_ALLOW_PRIVATE_NETWORKS = 'true';
    // Queues of their own: other e2e files of the same run start evaluators and outbox sweepers
    // on the run's prefix, which took this test's evaluation jobs (a CI run saw another
    // process re-feed the crashed transition, and the crash hook fire on another org's group).
    process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX ?? 'tocsin-test'}-outbox`;
    (await import('@tocsin/config')).resetConfigCache();
    api = await startApi();
    pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    who = await signUp(api.url, 'outbox');
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await api?.close();
    await pg?.end();
    await new Promise<void>((r) => server?.close(() => r()));
    if (distCopy) rmSync(distCopy, { recursive: true, force: true });
  });

  it('delivers the notification a crash after the commit dropped, exactly once', async () => {
    const ok = async (query: string, variables: Record<string, unknown> = {}) => {
      const r = await gql(api.url, query, variables, { token: who.token });
      if (r.errors) throw new Error(`${query.slice(0, 50)}: ${JSON.stringify(r.errors)}`);
      return r.data!;
    };
    const key = (
      await ok(`mutation { createApiKey(input: { name: "i", scopes: [INGEST] }) { secret } }`)
    ).createApiKey.secret as string;
    const port = (server.address() as AddressInfo).port;
    const channelId = (
      await ok(`mutation($input: CreateChannelInput!) { createChannel(input: $input) { id } }`, {
        input: {
          name: 'hook',
          kind: 'webhook',
          config: { url: `http://127.0.0.1:${port}/hook`, secret: 'a-very-secret-signing-key' },
        },
      })
    ).createChannel.id;
    await ok(`mutation($d: JSON!) { updateNotificationPolicy(document: $d) { version } }`, {
      d: { receivers: [{ name: 'hook', channelIds: [channelId] }], route: { receiver: 'hook' } },
    });
    const groupId = (
      await ok(`mutation { createRuleGroup(input: { name: "outbox", interval: "1m" }) { id } }`)
    ).createRuleGroup.id;
    const ruleId = (
      await ok(
        `mutation($g: ID!) { createRule(input: { groupId: $g, kind: ALERTING, name: "OutboxHigh", expr: "outbox_value > 100" }) { id } }`,
        { g: groupId },
      )
    ).createRule.id;

    worker = await startWorker(true);
    const died = new Promise<string | null>((r) => worker!.once('exit', (_c, signal) => r(signal)));
    const res = await fetch(`${api.url}/api/v1/write`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
      },
      body: new Uint8Array(
        encodeWriteRequest([
          {
            labels: { __name__: 'outbox_value', host: 'a' },
            timestamps: [Date.now()],
            values: [150],
          },
        ]),
      ),
    });
    expect(res.status).toBeLessThan(300);
    // The ingest trigger evaluates at once; the hook kills the worker right after the commit.
    expect(await died).toBe('SIGKILL');
    const history = async () =>
      (
        await pg.query<{ to_state: string; dispatched: boolean }>(
          `select to_state, dispatched_at is not null as dispatched from alert_history where rule_id = $1`,
          [ruleId],
        )
      ).rows;
    expect(await history()).toEqual([{ to_state: 'firing', dispatched: false }]);
    await sleep(1000);
    expect(received).toEqual([]);

    worker = await startWorker(false);
    // The sweeper ticks every 5 s and takes transitions older than 10 s.
    await until(() => received.length > 0, 40_000, 'the re-fed notification');
    expect(received.map((a) => [a.status, a.labels.alertname])).toEqual([['firing', 'OutboxHigh']]);
    expect(await history()).toEqual([{ to_state: 'firing', dispatched: true }]);
    // Further sweeps and the re-queued stalled evaluation job change nothing.
    await sleep(12_000);
    expect(received).toHaveLength(1);
  }, 240_000);
});
