import { httpRequest, isRetryableStatus, safeJson, truncate } from '../http';
import type { SendResult } from '../notifier';

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  from: string;
  apiBaseUrl: string;
}

/**
 * One call to Twilio's REST API (form-encoded, basic auth). Shared by the SMS and voice providers
 * and by direct sends. Twilio's 4xx codes (bad number, unverified caller id) are permanent;
 * 429 and 5xx are not.
 */
export async function twilioCreate(
  creds: TwilioCredentials,
  resource: 'Messages' | 'Calls',
  params: Record<string, string>,
  timeoutMs: number,
  /** False for a channel's own apiBaseUrl; the deployment's TWILIO_API_BASE is trusted. */
  allowPrivateNetworks: boolean,
): Promise<SendResult> {
  const url = `${creds.apiBaseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(creds.accountSid)}/${resource}.json`;
  const outcome = await httpRequest({
    url,
    body: new URLSearchParams(params).toString(),
    timeoutMs,
    allowPrivateNetworks,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64')}`,
      'user-agent': 'Tocsin-Notify/1',
    },
  });
  if (!outcome.ok) return { ok: false, retryable: !outcome.permanent, reason: outcome.reason };
  const { status, text } = outcome.response;
  const json = safeJson(text);
  if (status >= 200 && status < 300)
    return { ok: true, providerMessageId: typeof json?.sid === 'string' ? json.sid : undefined };
  const detail =
    typeof json?.message === 'string'
      ? `${json.message}${json.code ? ` (code ${String(json.code)})` : ''}`
      : truncate(text, 200);
  return {
    ok: false,
    retryable: isRetryableStatus(status),
    reason: `Twilio answered ${status}: ${detail}`,
  };
}

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

/** TwiML that reads the message twice, so a half-heard first reading can be caught. */
export function sayTwiml(text: string): string {
  const said = escapeXml(text.slice(0, 1500));
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${said}</Say><Pause length="1"/><Say>${said}</Say></Response>`;
}
