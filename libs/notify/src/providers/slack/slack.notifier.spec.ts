import { HttpReceiver } from '../../testing/http-receiver';
import { ctx, rendered } from '../../testing/fixtures';
import { slackNotifier } from './slack.notifier';

describe('Slack notifier', () => {
  const receiver = new HttpReceiver();
  let base: string;
  beforeAll(async () => (base = await receiver.start()));
  afterAll(() => receiver.stop());
  beforeEach(() => (receiver.requests.length = 0));

  it('posts text and a coloured attachment with a link', async () => {
    receiver.responder = () => ({ status: 200, body: 'ok' });
    const config = slackNotifier.configSchema.parse({
      webhookUrl: `${base}/services/T/B/X`,
      channel: '#ops',
    });
    expect(await slackNotifier.send(rendered(), config, ctx())).toMatchObject({ ok: true });
    const body = JSON.parse(receiver.requests[0].body);
    expect(body.text).toBe('[FIRING:1] DiskFull (warning)');
    expect(body.channel).toBe('#ops');
    expect(body.attachments[0]).toMatchObject({
      color: '#d63232',
      title_link: 'https://tocsin.example.com',
    });
    expect(body.attachments[0].text).toContain('db-1:9100');
  });

  it('resolved messages are green', async () => {
    receiver.responder = () => ({ status: 200, body: 'ok' });
    await slackNotifier.send(
      rendered('resolved'),
      slackNotifier.configSchema.parse({ webhookUrl: base }),
      ctx(),
    );
    const body = JSON.parse(receiver.requests[0].body);
    expect(body.text).toBe('[RESOLVED] DiskFull (warning)');
    expect(body.attachments[0].color).toBe('#2eb67d');
  });

  it.each([
    [404, 'no_service', false],
    [410, 'channel_is_archived', false],
    [429, 'rate_limited', true],
    [500, 'oops', true],
  ])('HTTP %i %s → retryable=%s', async (status, body, retryable) => {
    receiver.responder = () => ({ status, body });
    const r = await slackNotifier.send(
      rendered(),
      slackNotifier.configSchema.parse({ webhookUrl: base }),
      ctx(),
    );
    expect(r).toMatchObject({ ok: false, retryable });
    expect((r as { reason: string }).reason).toContain(body);
  });
});
