import { HttpReceiver } from '../../testing/http-receiver';
import { ctx, rendered } from '../../testing/fixtures';
import { telegramNotifier } from './telegram.notifier';

describe('Telegram notifier', () => {
  const receiver = new HttpReceiver();
  let base: string;
  beforeAll(async () => (base = await receiver.start()));
  afterAll(() => receiver.stop());
  beforeEach(() => (receiver.requests.length = 0));
  const config = () =>
    telegramNotifier.configSchema.parse({
      botToken: '123456:ABC-def_ghi',
      chatId: '-1001234',
      apiBaseUrl: base,
    });

  it('calls sendMessage with the bot token in the path and returns the message id', async () => {
    receiver.responder = () => ({ status: 200, body: '{"ok":true,"result":{"message_id":42}}' });
    expect(await telegramNotifier.send(rendered(), config(), ctx())).toEqual({
      ok: true,
      providerMessageId: '42',
    });
    expect(receiver.requests[0].url).toBe('/bot123456:ABC-def_ghi/sendMessage');
    const body = JSON.parse(receiver.requests[0].body);
    expect(body).toMatchObject({ chat_id: '-1001234', disable_web_page_preview: true });
    expect(body.text.startsWith('[FIRING:1] DiskFull')).toBe(true);
  });

  it('keeps the token out of failure reasons', async () => {
    receiver.responder = () => ({
      status: 401,
      body: '{"ok":false,"error_code":401,"description":"Unauthorized"}',
    });
    const r = await telegramNotifier.send(rendered(), config(), ctx());
    expect(r).toEqual({
      ok: false,
      retryable: false,
      reason: 'Telegram answered 401: Unauthorized',
    });
  });

  it('429 retries', async () => {
    receiver.responder = () => ({
      status: 429,
      body: '{"ok":false,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}',
    });
    expect(await telegramNotifier.send(rendered(), config(), ctx())).toMatchObject({
      ok: false,
      retryable: true,
    });
  });

  it('validates token and chat id shapes', () => {
    expect(telegramNotifier.configSchema.safeParse({ botToken: 'nope', chatId: '1' }).success).toBe(
      false,
    );
    expect(
      telegramNotifier.configSchema.safeParse({ botToken: '1:a', chatId: 'someone' }).success,
    ).toBe(false);
  });
});
