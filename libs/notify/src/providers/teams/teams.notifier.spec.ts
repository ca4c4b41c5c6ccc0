import { HttpReceiver } from '../../testing/http-receiver';
import { ctx, rendered } from '../../testing/fixtures';
import { teamsNotifier } from './teams.notifier';

describe('Teams notifier', () => {
  const receiver = new HttpReceiver(() => ({ status: 200, body: '1' }));
  let base: string;
  beforeAll(async () => (base = await receiver.start()));
  afterAll(() => receiver.stop());
  beforeEach(() => (receiver.requests.length = 0));

  it('sends an Adaptive Card by default', async () => {
    expect(
      await teamsNotifier.send(
        rendered(),
        teamsNotifier.configSchema.parse({ webhookUrl: base }),
        ctx(),
      ),
    ).toMatchObject({ ok: true });
    const body = JSON.parse(receiver.requests[0].body);
    expect(body.type).toBe('message');
    const card = body.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.type).toBe('AdaptiveCard');
    expect(card.content.body[0].text).toBe('[FIRING:1] DiskFull (warning)');
    expect(card.content.actions[0]).toMatchObject({
      type: 'Action.OpenUrl',
      url: 'https://tocsin.example.com',
    });
  });

  it('sends a MessageCard when asked', async () => {
    await teamsNotifier.send(
      rendered(),
      teamsNotifier.configSchema.parse({ webhookUrl: base, format: 'message-card' }),
      ctx(),
    );
    const body = JSON.parse(receiver.requests[0].body);
    expect(body['@type']).toBe('MessageCard');
    expect(body.themeColor).toBe('D63232');
    expect(body.potentialAction[0].targets[0].uri).toBe('https://tocsin.example.com');
  });

  it('400 is permanent, 502 is not', async () => {
    receiver.responder = () => ({ status: 400, body: 'Bad payload' });
    expect(
      await teamsNotifier.send(
        rendered(),
        teamsNotifier.configSchema.parse({ webhookUrl: base }),
        ctx(),
      ),
    ).toMatchObject({ ok: false, retryable: false });
    receiver.responder = () => ({ status: 502, body: '' });
    expect(
      await teamsNotifier.send(
        rendered(),
        teamsNotifier.configSchema.parse({ webhookUrl: base }),
        ctx(),
      ),
    ).toMatchObject({ ok: false, retryable: true });
  });
});
