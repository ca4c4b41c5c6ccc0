import { z } from 'zod';
import { truncate } from '../../http';
import type { Notifier } from '../../notifier';
import { secret } from '../../secrets/secret-field';
import { twilioCreate } from '../../twilio/twilio-client';
import { SHORT_BODY } from '../../templates/default-templates';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'An E.164 number such as +14155550100');

export const twilioSmsConfigSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'A Twilio account SID (AC…)'),
  authToken: secret(z.string().min(16).describe('Twilio auth token')),
  from: e164.describe('A Twilio number you own'),
  to: e164.describe('Who receives the SMS'),
  apiBaseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://api.twilio.com')
    .describe('Twilio REST API base URL (tests point it at a local double)'),
});
export type TwilioSmsConfig = z.infer<typeof twilioSmsConfigSchema>;

export const twilioSmsNotifier: Notifier<TwilioSmsConfig> = {
  kind: 'twilio-sms',
  label: 'SMS (Twilio)',
  configSchema: twilioSmsConfigSchema,
  defaultTemplates: { body: SHORT_BODY },
  send(msg, config, ctx) {
    // Ten SMS segments is plenty for an alert and bounds what one notification can cost.
    const body = truncate(`${msg.title}\n${msg.text}${msg.link ? `\n${msg.link}` : ''}`, 1530);
    return twilioCreate(
      config,
      'Messages',
      { To: config.to, From: config.from, Body: body },
      ctx.timeoutMs,
      ctx.allowPrivateNetworks,
    );
  },
};
