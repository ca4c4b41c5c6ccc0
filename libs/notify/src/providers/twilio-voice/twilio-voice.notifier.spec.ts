import { HttpReceiver } from '../../testing/http-receiver';
import { ctx, rendered } from '../../testing/fixtures';
import { twilioVoiceNotifier } from './twilio-voice.notifier';

const SID = 'AC0123456789abcdef0123456789abcdef';

describe('Twilio voice notifier', () => {
  // A local server shaped like Twilio's REST API: the real service cannot be reached from tests.
  const receiver = new HttpReceiver(() => ({
    status: 201,
    body: '{"sid":"CA123","status":"queued"}',
  }));
  let base: string;
  beforeAll(async () => (base = await receiver.start()));
  afterAll(() => receiver.stop());

  it('creates a call with escaped TwiML <Say>', async () => {
    const config = twilioVoiceNotifier.configSchema.parse({
      accountSid: SID,
      authToken: 'auth-token-0123456789',
      from: '+15005550006',
      to: '+14155550100',
      apiBaseUrl: base,
    });
    const msg = rendered('firing', true);
    msg.voiceText = 'Disk <full> & "hot"';
    expect(await twilioVoiceNotifier.send(msg, config, ctx())).toEqual({
      ok: true,
      providerMessageId: 'CA123',
    });
    const req = receiver.requests[0];
    expect(req.url).toBe(`/2010-04-01/Accounts/${SID}/Calls.json`);
    const twiml = new URLSearchParams(req.body).get('Twiml')!;
    expect(twiml).toContain('<Say>Disk &lt;full&gt; &amp; &quot;hot&quot;</Say>');
    expect(twiml).toMatch(/^<\?xml .*<Response>.*<\/Response>$/);
  });
});
