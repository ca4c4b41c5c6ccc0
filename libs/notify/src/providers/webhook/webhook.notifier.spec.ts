import { createHmac } from 'node:crypto';
import { HttpReceiver } from '../../testing/http-receiver';
import { FIXED_NOW, ctx, rendered } from '../../testing/fixtures';
import { webhookNotifier } from './webhook.notifier';

describe('webhook notifier', () => {
  const receiver = new HttpReceiver();
  let base: string;
  beforeAll(async () => (base = await receiver.start()));
  afterAll(() => receiver.stop());
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.responder = () => ({ status: 200 });
  });

  const config = (url: string) =>
    webhookNotifier.configSchema.parse({ url, secret: 'a-very-secret-signing-key' });

  it('posts the Alertmanager v4 body with signature and idempotency key', async () => {
    const r = await webhookNotifier.send(rendered(), config(`${base}/hook`), ctx());
    expect(r).toEqual({ ok: true, providerMessageId: undefined });
    const req = receiver.requests[0];
    expect(req.url).toBe('/hook');
    const body = JSON.parse(req.body);
    expect(Object.keys(body).sort()).toEqual(
      [
        'alerts',
        'commonAnnotations',
        'commonLabels',
        'externalURL',
        'groupKey',
        'groupLabels',
        'receiver',
        'status',
        'truncatedAlerts',
        'version',
      ].sort(),
    );
    expect(body).toMatchObject({
      version: '4',
      groupKey: '{}:{alertname="DiskFull"}',
      status: 'firing',
      receiver: 'ops',
      truncatedAlerts: 0,
    });
    expect(body.alerts[0]).toMatchObject({
      status: 'firing',
      labels: { instance: 'db-1:9100' },
      fingerprint: 'f1',
    });
    expect(req.headers['idempotency-key']).toBe('group-1:firing:chan-1');
    // Verify the way a receiver would: recompute over the raw body with the shared secret.
    const t = Math.floor(FIXED_NOW.getTime() / 1000);
    const expected = createHmac('sha256', 'a-very-secret-signing-key')
      .update(`${t}.${req.body}`)
      .digest('hex');
    expect(req.headers['x-tocsin-signature']).toBe(`t=${t},v1=${expected}`);
  });

  it('truncates to maxAlerts and counts the rest', async () => {
    const msg = rendered();
    const g = msg.source as import('@tocsin/queue').AlertGroupNotification;
    g.alerts = [
      g.alerts[0],
      { ...g.alerts[0], fingerprint: 'f2' },
      { ...g.alerts[0], fingerprint: 'f3' },
    ];
    await webhookNotifier.send(msg, { ...config(base), maxAlerts: 1 }, ctx());
    const body = JSON.parse(receiver.requests[0].body);
    expect(body.alerts).toHaveLength(1);
    expect(body.truncatedAlerts).toBe(2);
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [400, false],
    [404, false],
    [410, false],
  ])('classifies HTTP %i as retryable=%s', async (status, retryable) => {
    receiver.responder = () => ({ status, body: 'nope' });
    const r = await webhookNotifier.send(rendered(), config(base), ctx());
    expect(r).toMatchObject({ ok: false, retryable });
  });

  it('treats a refused connection and a timeout as retryable', async () => {
    const refused = await webhookNotifier.send(rendered(), config('http://127.0.0.1:1/x'), ctx());
    expect(refused).toMatchObject({ ok: false, retryable: true });
    receiver.responder = () => 'hang';
    const slow = await webhookNotifier.send(rendered(), config(base), ctx({ timeoutMs: 200 }));
    expect(slow).toMatchObject({ ok: false, retryable: true });
    expect((slow as { reason: string }).reason).toContain('timed out');
  });

  it('refuses configs without a strong secret or with a non-http URL', () => {
    expect(
      webhookNotifier.configSchema.safeParse({ url: 'http://x.example', secret: 'short' }).success,
    ).toBe(false);
    expect(
      webhookNotifier.configSchema.safeParse({
        url: 'file:///etc/passwd',
        secret: 'a-very-secret-signing-key',
      }).success,
    ).toBe(false);
  });
});
