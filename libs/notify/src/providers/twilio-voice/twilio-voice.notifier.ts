import { z } from 'zod';
import type { Notifier } from '../../notifier';
import { secret } from '../../secrets/secret-field';
import { sayTwiml, twilioCreate } from '../../twilio/twilio-client';
import { VOICE_BODY } from '../../templates/default-templates';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'An E.164 number such as +14155550100');

export const twilioVoiceConfigSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'A Twilio account SID (AC…)'),
  authToken: secret(z.string().min(16).describe('Twilio auth token')),
  from: e164.describe('A Twilio number you own'),
  to: e164.describe('Who is called'),
  apiBaseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://api.twilio.com')
    .describe('Twilio REST API base URL (tests point it at a local double)'),
});
export type TwilioVoiceConfig = z.infer<typeof twilioVoiceConfigSchema>;

export const twilioVoiceNotifier: Notifier<TwilioVoiceConfig> = {
  kind: 'twilio-voice',
  label: 'Voice call (Twilio)',
  configSchema: twilioVoiceConfigSchema,
  defaultTemplates: { body: VOICE_BODY },
  send(msg, config, ctx) {
    return twilioCreate(
      config,
      'Calls',
      { To: config.to, From: config.from, Twiml: sayTwiml(msg.voiceText) },
      ctx.timeoutMs,
      ctx.allowPrivateNetworks,
    );
  },
};
