import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { HttpReceiver } from '../../libs/notify/src/testing/http-receiver';
import { codeOf, gql, signUp, startApi, type RunningApi, type SignedUp } from './support/api';

// Black-box: channels are created and tested over GraphQL against the real api; deliveries run
// through real BullMQ workers (in-process first, then the built worker as child processes) to a
// real SMTP server and real HTTP receivers on 127.0.0.1. Nothing in the delivery path is mocked.

// Short backoff, locks and timeouts so retries and the stalled-job takeover run in seconds.
// Set before anything reads the config (which caches it per test file).
const SETTINGS = {
  NOTIFY_BACKOFF_MS: '100',
  NOTIFY_MAX_ATTEMPTS: '5',
  NOTIFY_LOCK_DURATION_MS: '1500',
  NOTIFY_SEND_TIMEOUT_MS: '1000',
  // The receivers below listen on 127.0.0.1, which channels may not reach by default.
  NOTIFY_ALLOW_PRIVATE_NETWORKS: 'true',
};
// Queues of their own: other e2e files of the same run start workers (which include the notify
// processor) with other settings; they must not take these jobs. The run's teardown removes
// every key under the run's prefix, this one included.
const ENV = {
  ...SETTINGS,
  REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'tocsin-test'}-notify`,
};
Object.assign(process.env, ENV);

const root = join(__dirname, '..', '..');

const CREATE = `mutation($input: CreateChannelInput!) { createChannel(input: $input) { id name kind config rateLimitPerMinute } }`;
const TEST = `mutation($id: ID!, $waitMs: Int) { testChannel(id: $id, waitMs: $waitMs) { id status attempts lastError idempotencyKey latencyMs deliveredAt channelId } }`;
const DELIVERIES = `query($filter: DeliveryFilter) { deliveries(filter: $filter, first: 50) { nodes { id status attempts duplicates idempotencyKey channelId lastError channel { name } } } }`;

async function until<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('notify: channels and deliveries end to end', () => {
  let api: RunningApi;
  let worker: { close(): Promise<void> } | null = null;
  let a: SignedUp;
  let b: SignedUp;
  const mails: { to: string[]; raw: string }[] = [];
  let smtp: SMTPServer;
  let smtpUrl: string;
  const receiver = new HttpReceiver();
  let hookBase: string;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    process.env.SMTP_URL = smtpUrl;
    hookBase = await receiver.start();
    api = await startApi();
    const { createWorkerApp } = await import('../../apps/worker/src/main');
    worker = await createWorkerApp();
    a = await signUp(api.url, 'notify-a');
    b = await signUp(api.url, 'notify-b');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiver.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    // The run's teardown matches `<prefix>*`, which misses BullMQ's `{<prefix>}:bull…` keys.
    const Redis = (await import('ioredis')).default;
    const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    for (const pattern of [`${ENV.REDIS_PREFIX}*`, `{${ENV.REDIS_PREFIX}}*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
    redis.disconnect();
  });

  async function webhookChannel(name: string, path: string): Promise<string> {
    const r = await gql(
      api.url,
      CREATE,
      {
        input: {
          name,
          kind: 'webhook',
          config: { url: `${hookBase}${path}`, secret: 'webhook-signing-secret-1' },
        },
      },
      { token: a.token },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.createChannel.id;
  }

  it('lists every kind with a JSON Schema', async () => {
    const r = await gql(
      api.url,
      '{ channelKinds { kind label secretFields configSchema } }',
      {},
      { token: a.token },
    );
    expect(r.errors).toBeUndefined();
    const kinds = r.data!.channelKinds as Array<{
      kind: string;
      secretFields: string[];
      configSchema: { properties: object };
    }>;
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['email', 'webhook', 'slack', 'pagerduty', 'twilio-voice', 'feishu']),
    );
    expect(kinds.find((k) => k.kind === 'webhook')!.secretFields).toEqual(['url', 'secret']);
  });

  it('email: arrives with HTML and text; the SMTP URL is stored sealed and returned masked', async () => {
    const created = await gql(
      api.url,
      CREATE,
      {
        input: {
          name: 'ops mail',
          kind: 'email',
          config: { to: ['ops@example.com'], smtpUrl: `${smtpUrl}` },
        },
      },
      { token: a.token },
    );
    expect(created.errors).toBeUndefined();
    const ch = created.data!.createChannel;
    expect(ch.config).toEqual({ to: ['ops@example.com'], smtpUrl: '••••••••' });
    const tested = await gql(api.url, TEST, { id: ch.id, waitMs: 15_000 }, { token: a.token });
    expect(tested.errors).toBeUndefined();
    expect(tested.data!.testChannel).toMatchObject({
      status: 'delivered',
      attempts: 1,
      channelId: ch.id,
    });
    const mail = mails.find((m) => m.raw.includes(tested.data!.testChannel.idempotencyKey))!;
    expect(mail.to).toEqual(['ops@example.com']);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    expect(mail.raw).toContain('ops mail');
    // At rest: the owner connection sees ciphertext, never the URL.
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    const { rows } = await pg.query<{ config: Record<string, string> }>(
      'select config from channels where id = $1',
      [ch.id],
    );
    await pg.end();
    expect(rows[0].config.smtpUrl).toMatch(/^enc:v1:/);
    expect(JSON.stringify(rows[0].config)).not.toContain('127.0.0.1');
  });

  it('webhook: 500 three times then 200 → delivered once, attempts=4, same Idempotency-Key each time', async () => {
    receiver.responder = (req) => {
      if (!req.url.startsWith('/flaky')) return { status: 200 };
      const n = receiver.requests.filter((r) => r.url.startsWith('/flaky')).length;
      return n <= 3 ? { status: 500, body: 'boom' } : { status: 200, body: 'ok' };
    };
    const id = await webhookChannel('flaky hook', '/flaky');
    const tested = await gql(api.url, TEST, { id, waitMs: 20_000 }, { token: a.token });
    expect(tested.data!.testChannel).toMatchObject({
      status: 'delivered',
      attempts: 4,
      lastError: null,
    });
    const hits = receiver.requests.filter((r) => r.url.startsWith('/flaky'));
    expect(hits).toHaveLength(4);
    expect(new Set(hits.map((h) => h.headers['idempotency-key']))).toEqual(
      new Set([tested.data!.testChannel.idempotencyKey]),
    );
    expect(hits[3].headers['x-tocsin-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    await new Promise((r) => setTimeout(r, 800));
    expect(receiver.requests.filter((r) => r.url.startsWith('/flaky'))).toHaveLength(4);
  });

  it('webhook: 400 → one attempt, a visible failed delivery, no retry', async () => {
    receiver.responder = (req) =>
      req.url.startsWith('/bad') ? { status: 400, body: 'unknown receiver' } : { status: 200 };
    const id = await webhookChannel('bad hook', '/bad');
    const tested = await gql(api.url, TEST, { id, waitMs: 10_000 }, { token: a.token });
    expect(tested.data!.testChannel).toMatchObject({ status: 'failed', attempts: 1 });
    expect(tested.data!.testChannel.lastError).toContain('400');
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.requests.filter((r) => r.url.startsWith('/bad'))).toHaveLength(1);
    // Enqueueing the failed key again is a deliberate retry: it runs once more.
    const { DeliveryService } = await import('@tocsin/notify');
    const again = await api.app.get(DeliveryService, { strict: false }).enqueue({
      orgId: a.orgId,
      channelId: id,
      idempotencyKey: tested.data!.testChannel.idempotencyKey,
      notification: { kind: 'test', message: 'again' },
    });
    expect(again).toEqual({ deliveryId: tested.data!.testChannel.id, status: 'queued' });
    await until(
      async () => receiver.requests.filter((r) => r.url.startsWith('/bad')).length === 2,
      10_000,
      'the retry',
    );
    const log = await gql(
      api.url,
      DELIVERIES,
      { filter: { channelId: id, status: 'failed' } },
      { token: a.token },
    );
    expect(log.data!.deliveries.nodes).toHaveLength(1);
  });

  it('duplicate NotifyJobs with the same idempotency key → one send', async () => {
    receiver.responder = () => ({ status: 200 });
    const id = await webhookChannel('dup hook', '/dup');
    const { createQueue, QueueName } = await import('@tocsin/queue');
    const queue = createQueue(QueueName.Notify);
    const job = {
      orgId: a.orgId,
      channelId: id,
      idempotencyKey: `group-x:firing:${id}`,
      notification: {
        kind: 'alert-group',
        groupKey: 'group-x',
        status: 'firing',
        receiver: 'r',
        groupLabels: { alertname: 'Dup' },
        commonLabels: { alertname: 'Dup' },
        commonAnnotations: {},
        externalURL: 'http://localhost:3000',
        alerts: [],
        truncatedAlerts: 0,
      },
    };
    // Two producers that do not share job ids, and a third after the first was delivered.
    await queue.add('channel', job, { jobId: 'dup-1', attempts: 3 });
    await queue.add('channel', job, { jobId: 'dup-2', attempts: 3 });
    const delivered = await until(
      async () => {
        const r = await gql(
          api.url,
          DELIVERIES,
          { filter: { idempotencyKey: job.idempotencyKey } },
          { token: a.token },
        );
        const n = r.data!.deliveries.nodes;
        return n.length === 1 && n[0].status === 'delivered' && n[0].duplicates === 1 ? n[0] : null;
      },
      20_000,
      'the duplicate to be seen',
    );
    await queue.add('channel', job, { jobId: 'dup-3', attempts: 3 });
    await until(
      async () => {
        const r = await gql(
          api.url,
          DELIVERIES,
          { filter: { idempotencyKey: job.idempotencyKey } },
          { token: a.token },
        );
        return r.data!.deliveries.nodes[0].duplicates === 2;
      },
      20_000,
      'the late duplicate',
    );
    await queue.close();
    expect(delivered.attempts).toBe(1);
    expect(receiver.requests.filter((r) => r.url === '/dup')).toHaveLength(1);
  });

  it('a channel that exhausts its retries fails over to its fallback with a derived key', async () => {
    receiver.responder = (req) =>
      req.url.startsWith('/down') ? { status: 503, body: 'maintenance' } : { status: 200 };
    const fallbackId = await webhookChannel('backup hook', '/backup');
    const primary = await gql(
      api.url,
      CREATE,
      {
        input: {
          name: 'down hook',
          kind: 'webhook',
          fallbackChannelId: fallbackId,
          config: { url: `${hookBase}/down`, secret: 'webhook-signing-secret-1' },
        },
      },
      { token: a.token },
    );
    expect(primary.errors).toBeUndefined();
    const primaryId = primary.data!.createChannel.id as string;
    const loop = await gql(
      api.url,
      'mutation($id: ID!, $f: ID) { updateChannel(id: $id, input: { fallbackChannelId: $f }) { id } }',
      { id: fallbackId, f: primaryId },
      { token: a.token },
    );
    expect(codeOf(loop)).toBe('BAD_USER_INPUT');
    const tested = await gql(api.url, TEST, { id: primaryId, waitMs: 15_000 }, { token: a.token });
    expect(tested.data!.testChannel).toMatchObject({ status: 'failed', attempts: 5 });
    expect(tested.data!.testChannel.lastError).toContain('503');
    const key = `${tested.data!.testChannel.idempotencyKey}:fallback:${fallbackId}`;
    const backup = await until(
      async () =>
        receiver.requests.find((r) => r.url === '/backup' && r.headers['idempotency-key'] === key),
      15_000,
      'the fallback',
    );
    expect(JSON.parse(backup.body).version).toBe('4');
    const log = await until(
      async () => {
        const r = await gql(
          api.url,
          DELIVERIES,
          { filter: { idempotencyKey: key } },
          { token: a.token },
        );
        return r.data!.deliveries.nodes[0]?.status === 'delivered'
          ? r.data!.deliveries.nodes[0]
          : null;
      },
      10_000,
      'the fallback delivery row',
    );
    expect(log.channelId).toBe(fallbackId);
  });

  it('a channel over its per-minute rate limit holds the next send for the next minute', async () => {
    // Both sends must fall in one minute window.
    const second = new Date().getSeconds();
    if (second > 50) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    receiver.responder = () => ({ status: 200 });
    const r = await gql(
      api.url,
      CREATE,
      {
        input: {
          name: 'slow hook',
          kind: 'webhook',
          rateLimitPerMinute: 1,
          config: { url: `${hookBase}/limited`, secret: 'webhook-signing-secret-1' },
        },
      },
      { token: a.token },
    );
    const id = r.data!.createChannel.id as string;
    const first = await gql(api.url, TEST, { id, waitMs: 10_000 }, { token: a.token });
    expect(first.data!.testChannel.status).toBe('delivered');
    const held = await gql(api.url, TEST, { id, waitMs: 2_000 }, { token: a.token });
    expect(held.data!.testChannel).toMatchObject({ status: 'queued', attempts: 0 });
    expect(receiver.requests.filter((x) => x.url === '/limited')).toHaveLength(1);
    const log = await gql(api.url, DELIVERIES, { filter: { channelId: id } }, { token: a.token });
    expect(
      log.data!.deliveries.nodes.map((n: { status: string; channel: { name: string } }) => [
        n.status,
        n.channel.name,
      ]),
    ).toEqual([
      ['queued', 'slow hook'],
      ['delivered', 'slow hook'],
    ]);
  });

  it("another organization can neither read nor test nor change org A's channels and deliveries", async () => {
    const id = await webhookChannel('private hook', '/private');
    await gql(api.url, TEST, { id, waitMs: 5_000 }, { token: a.token });
    const calls: Array<[string, Record<string, unknown>]> = [
      ['query($id: ID!) { channel(id: $id) { id } }', { id }],
      [TEST, { id, waitMs: 0 }],
      ['mutation($id: ID!) { updateChannel(id: $id, input: { name: "pwned" }) { id } }', { id }],
      ['mutation($id: ID!) { deleteChannel(id: $id) }', { id }],
      ['query($id: ID!) { previewTemplate(input: { channelId: $id }) { title } }', { id }],
    ];
    for (const [query, vars] of calls) {
      const r = await gql(api.url, query, vars, { token: b.token });
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(codeOf(r));
    }
    const lists = await gql(
      api.url,
      `{ channels { id } deliveries(first: 200) { nodes { id channelId } } }`,
      {},
      { token: b.token },
    );
    expect(lists.errors).toBeUndefined();
    expect(JSON.stringify(lists.data)).not.toContain(id);
    const filtered = await gql(
      api.url,
      DELIVERIES,
      { filter: { channelId: id } },
      { token: b.token },
    );
    expect(filtered.data!.deliveries.nodes).toEqual([]);
    // Still there, unchanged, for its owner.
    const mine = await gql(
      api.url,
      'query($id: ID!) { channel(id: $id) { name } }',
      { id },
      { token: a.token },
    );
    expect(mine.data!.channel.name).toBe('private hook');
    // A read-only API key of org A may read but not write.
    const key = await gql(
      api.url,
      'mutation { createApiKey(input: { name: "ro", scopes: [READ] }) { secret } }',
      {},
      { token: a.token },
    );
    const ro = key.data!.createApiKey.secret as string;
    expect(codeOf(await gql(api.url, '{ channels { id } }', {}, { token: ro }))).toBe('OK');
    expect(
      codeOf(
        await gql(
          api.url,
          CREATE,
          { input: { name: 'x', kind: 'webhook', config: {} } },
          { token: ro },
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(codeOf(await gql(api.url, TEST, { id }, { token: ro }))).toBe('FORBIDDEN');
  });

  it('a channel whose secrets no longer decrypt fails at once with a reason, without sending', async () => {
    const id = await webhookChannel('tampered hook', '/tampered');
    // Another organization's ciphertext (same key, other associated data) must not open here.
    const other = await gql(
      api.url,
      CREATE,
      {
        input: {
          name: 'b hook',
          kind: 'webhook',
          config: { url: `${hookBase}/b`, secret: 'webhook-signing-secret-2' },
        },
      },
      { token: b.token },
    );
    const pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    await pg.query(
      `update channels set config = jsonb_set(config, '{secret}', (select config->'secret' from channels where id = $2)) where id = $1`,
      [id, other.data!.createChannel.id],
    );
    await pg.end();
    const tested = await gql(api.url, TEST, { id, waitMs: 10_000 }, { token: a.token });
    expect(tested.data!.testChannel).toMatchObject({ status: 'failed', attempts: 0 });
    expect(tested.data!.testChannel.lastError).toContain('cannot be decrypted');
    expect(receiver.requests.filter((r) => r.url === '/tampered')).toHaveLength(0);
  });

  it('validates on save and previews templates', async () => {
    const bad = await gql(
      api.url,
      CREATE,
      { input: { name: 'bad', kind: 'slack', config: { webhookUrl: 'not a url' } } },
      { token: a.token },
    );
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    const unknown = await gql(
      api.url,
      CREATE,
      { input: { name: 'bad', kind: 'carrier-pigeon', config: {} } },
      { token: a.token },
    );
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
    const badTemplate = await gql(
      api.url,
      CREATE,
      {
        input: {
          name: 'tpl',
          kind: 'webhook',
          config: { url: 'https://x.example', secret: 'webhook-signing-secret-1' },
          templates: { title: '{{ if .Status }}' },
        },
      },
      { token: a.token },
    );
    expect(codeOf(badTemplate)).toBe('BAD_USER_INPUT');
    const preview = await gql(
      api.url,
      'query($input: PreviewTemplateInput!) { previewTemplate(input: $input) { title text } }',
      {
        input: {
          kind: 'slack',
          template: {
            title: '{{ .Status | upper }} {{ .CommonLabels.alertname }}',
            body: '{{ range .Alerts }}{{ .Labels.instance }};{{ end }}',
          },
          sample: {
            status: 'resolved',
            commonLabels: { alertname: 'X' },
            alerts: [{ labels: { instance: 'i1' } }, { labels: { instance: 'i2' } }],
          },
        },
      },
      { token: a.token },
    );
    expect(preview.data!.previewTemplate).toEqual({ title: 'RESOLVED X', text: 'i1;i2;' });
  });

  it('direct sends reach a bare email address with the deployment SMTP settings', async () => {
    const { DeliveryService } = await import('@tocsin/notify');
    const deliveries = api.app.get(DeliveryService, { strict: false });
    const key = `page:${Date.now()}`;
    const r = await deliveries.enqueueDirect({
      orgId: a.orgId,
      idempotencyKey: key,
      target: { kind: 'email', address: 'oncall@example.com' },
      message: { subject: 'You are paged', text: 'Incident #1' },
    });
    expect(r.status).toBe('queued');
    await until(async () => mails.find((m) => m.raw.includes(key)), 15_000, 'the direct email');
    const again = await until(
      async () => {
        const x = await deliveries.enqueueDirect({
          orgId: a.orgId,
          idempotencyKey: key,
          target: { kind: 'email', address: 'oncall@example.com' },
          message: { subject: 'You are paged', text: 'Incident #1' },
        });
        return x.status === 'deduplicated' ? x : null;
      },
      10_000,
      'the delivery to be recorded',
    );
    expect(again.deliveryId).toBe(r.deliveryId);
    expect(mails.filter((m) => m.raw.includes(key))).toHaveLength(1);
  });

  describe('a worker killed mid-send', () => {
    const children: ChildProcess[] = [];
    let distCopy: string;

    beforeAll(async () => {
      // The in-process worker must not take this job: only the child workers below run.
      await worker?.close();
      worker = null;
      const built = join(root, 'dist', 'apps', 'worker', 'src', 'main.js');
      if (
        !existsSync(built) ||
        !existsSync(join(root, 'dist', 'libs', 'notify', 'src', 'index.js'))
      ) {
        throw new Error('Build first: `npm run build` (this test runs the built worker)');
      }
      // A private copy, so a colleague's rebuild (which empties dist/) cannot pull it away mid-test.
      // It lives under the repo so node_modules still resolves.
      // .data/ exists only once something embedded has run; a fresh clone with DATABASE_URL has none.
      mkdirSync(join(root, '.data'), { recursive: true });
      distCopy = mkdtempSync(join(root, '.data', 'notify-e2e-'));
      cpSync(join(root, 'dist'), join(distCopy, 'dist'), { recursive: true });
    });

    afterAll(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      rmSync(distCopy, { recursive: true, force: true });
    });

    function startWorker(): ChildProcess {
      const child = spawn(
        process.execPath,
        [join(distCopy, 'dist', 'apps', 'worker', 'src', 'main.js')],
        {
          env: { ...process.env, ...ENV, NODE_ENV: 'test' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let log = '';
      child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      child.on('exit', (code, signal) => {
        if (code && code !== 0)
          console.error(`worker exited ${code} ${signal}: ${log.slice(-2000)}`);
      });
      children.push(child);
      return child;
    }

    it('the notification still arrives, with at most one duplicate carrying the same Idempotency-Key', async () => {
      let first = true;
      receiver.responder = (req) => {
        if (!req.url.startsWith('/kill')) return { status: 200 };
        if (first) {
          first = false;
          return 'hang';
        }
        return { status: 200, body: 'ok' };
      };
      const id = await webhookChannel('kill hook', '/kill');
      const workerA = startWorker();
      const enq = await gql(api.url, TEST, { id, waitMs: 0 }, { token: a.token });
      expect(enq.errors).toBeUndefined();
      const key = enq.data!.testChannel.idempotencyKey as string;
      await until(
        async () => receiver.requests.some((r) => r.url.startsWith('/kill')),
        30_000,
        'worker A to start sending',
      );
      workerA.kill('SIGKILL');
      await new Promise((r) => workerA.once('exit', r));
      startWorker();
      const row = await until(
        async () => {
          const r = await gql(
            api.url,
            DELIVERIES,
            { filter: { idempotencyKey: key } },
            { token: a.token },
          );
          const n = r.data?.deliveries.nodes[0];
          return n?.status === 'delivered' ? n : null;
        },
        40_000,
        'the delivery after the kill',
      );
      const hits = receiver.requests.filter((r) => r.url.startsWith('/kill'));
      expect(hits.length).toBeGreaterThanOrEqual(2);
      expect(hits.length).toBeLessThanOrEqual(2);
      expect(new Set(hits.map((h) => h.headers['idempotency-key']))).toEqual(new Set([key]));
      expect(row.attempts).toBe(2);
    }, 90_000);
  });
});
