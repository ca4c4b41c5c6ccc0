import { HttpReceiver } from '../../testing/http-receiver';
import { ctx, rendered } from '../../testing/fixtures';
import { twilioSmsNotifier } from './twilio-sms.notifier';

const SID = 'AC0123456789abcdef0123456789abcdef';

describe('Twilio SMS notifier', () => {
  // A local server shaped like Twilio's REST API: the real service cannot be reached from tests.
  const receiver = new HttpReceiver(() => ({
    status: 201,
    body: '{"sid":"SM123","status":"queued"}',
  }));
  let base: string;
  beforeAll(async () => (base = await receiver.start()));
  afterAll(() => receiver.stop());
  beforeEach(() => (receiver.requests.length = 0));
  const config = () =>
    twilioSmsNotifier.configSchema.parse({
      accountSid: SID,
      authToken: 'auth-token-0123456789',
      from: '+15005550006',
      to: '+14155550100',
      apiBaseUrl: base,
    });

  it('posts a form to Messages.json with basic auth', async () => {
    expect(await twilioSmsNotifier.send(rendered(), config(), ctx())).toEqual({
      ok: true,
      providerMessageId: 'SM123',
    });
    const req = receiver.requests[0];
    expect(req.url).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers.authorization).toBe(
      `Basic ${Buffer.from(`${SID}:auth-token-0123456789`).toString('base64')}`,
    );
    const form = new URLSearchParams(req.body);
    expect(form.get('To')).toBe('+14155550100');
    expect(form.get('From')).toBe('+15005550006');
    expect(form.get('Body')).toContain('DiskFull');
  });

  it('a bad number (400, code 21211) is permanent; 503 is not', async () => {
    receiver.responder = () => ({
      status: 400,
      body: '{"code":21211,"message":"The \'To\' number is not a valid phone number."}',
    });
    const r = await twilioSmsNotifier.send(rendered(), config(), ctx());
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect((r as { reason: string }).reason).toContain('21211');
    receiver.responder = () => ({ status: 503, body: '' });
    expect(await twilioSmsNotifier.send(rendered(), config(), ctx())).toMatchObject({
      ok: false,
      retryable: true,
    });
  });

  it('refuses numbers that are not E.164', () => {
    expect(
      twilioSmsNotifier.configSchema.safeParse({
        accountSid: SID,
        authToken: 'auth-token-0123456789',
        from: '5550006',
        to: '+14155550100',
      }).success,
    ).toBe(false);
  });
});
