import { HttpReceiver } from '../../testing/http-receiver';
import { ctx, rendered } from '../../testing/fixtures';
import { pagerdutyNotifier } from './pagerduty.notifier';

describe('PagerDuty notifier', () => {
  const receiver = new HttpReceiver(() => ({
    status: 202,
    body: '{"status":"success","message":"Event processed","dedup_key":"{}:{alertname=\\"DiskFull\\"}"}',
  }));
  let base: string;
  beforeAll(async () => (base = await receiver.start()));
  afterAll(() => receiver.stop());
  beforeEach(() => (receiver.requests.length = 0));
  const config = () =>
    pagerdutyNotifier.configSchema.parse({
      routingKey: 'R0123456789abcdef0123456789abcde',
      eventsUrl: `${base}/v2/enqueue`,
    });

  it('triggers with dedup_key = group key and the labelled severity', async () => {
    const r = await pagerdutyNotifier.send(rendered(), config(), ctx());
    expect(r).toEqual({ ok: true, providerMessageId: '{}:{alertname="DiskFull"}' });
    const body = JSON.parse(receiver.requests[0].body);
    expect(body).toMatchObject({
      routing_key: 'R0123456789abcdef0123456789abcde',
      event_action: 'trigger',
      dedup_key: '{}:{alertname="DiskFull"}',
      payload: { summary: '[FIRING:1] DiskFull (warning)', severity: 'warning', source: 'node' },
    });
  });

  it('resolves the same dedup_key', async () => {
    await pagerdutyNotifier.send(rendered('resolved'), config(), ctx());
    const body = JSON.parse(receiver.requests[0].body);
    expect(body).toEqual({
      routing_key: 'R0123456789abcdef0123456789abcde',
      dedup_key: '{}:{alertname="DiskFull"}',
      event_action: 'resolve',
    });
  });

  it('400 is permanent, 429 is not', async () => {
    receiver.responder = () => ({ status: 400, body: '{"status":"invalid event"}' });
    expect(await pagerdutyNotifier.send(rendered(), config(), ctx())).toMatchObject({
      ok: false,
      retryable: false,
    });
    receiver.responder = () => ({ status: 429, body: '' });
    expect(await pagerdutyNotifier.send(rendered(), config(), ctx())).toMatchObject({
      ok: false,
      retryable: true,
    });
  });
});
