import { createHmac } from 'node:crypto';
// Config is parsed from the environment; these placeholders are never connected to.
process.env.DATABASE_URL ??= 'postgresql://unused@127.0.0.1:1/unused';
process.env.REDIS_URL ??= 'redis://127.0.0.1:1';

import { signLink, twilioSignature, verifyLink, verifyTwilioSignature } from './signed-links';

const claims = {
  p: 'incident-action' as const,
  o: 'org-a',
  u: 'user-1',
  i: 'inc-1',
  x: Math.floor(Date.now() / 1000) + 60,
};

describe('signed links', () => {
  it('accepts its own token and returns the claims', () => {
    const v = verifyLink(signLink(claims), 'incident-action');
    expect(v).toEqual({ ok: true, claims });
  });

  it('refuses a tampered body, a tampered signature, another purpose and an expired link', () => {
    const token = signLink(claims);
    const [body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, o: 'org-b' })).toString('base64url');
    expect(verifyLink(`${forged}.${mac}`, 'incident-action')).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyLink(`${body}.${mac.slice(0, -2)}AA`, 'incident-action').ok).toBe(false);
    // A SHA-256 MAC is 43 base64url characters, the last carrying 4 bits and 2 spare ones: every
    // other spelling of that character, and a character outside the alphabet, is refused.
    const last = mac.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const c of `${alphabet}!`.replace(last, ''))
      expect(verifyLink(`${body}.${mac.slice(0, -1)}${c}`, 'incident-action').ok).toBe(false);
    expect(verifyLink(`${body}.${mac}!`, 'incident-action').ok).toBe(false);
    expect(verifyLink(token, 'voice')).toEqual({ ok: false, reason: 'wrong-purpose' });
    expect(
      verifyLink(signLink({ ...claims, x: Math.floor(Date.now() / 1000) - 1 }), 'incident-action'),
    ).toEqual({ ok: false, reason: 'expired' });
    expect(verifyLink('garbage', 'incident-action')).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('Twilio request signatures', () => {
  const url = 'https://example.test/api/v1/oncall/twilio/sms';
  const params = { From: '+15550001111', Body: 'ACK 3', To: '+15550002222' };

  it('is HMAC-SHA1 over the URL and the params sorted by name', () => {
    // Written out by hand in Twilio's documented order: Body, From, To.
    const data = `${url}BodyACK 3From+15550001111To+15550002222`;
    expect(twilioSignature('secret', url, params)).toBe(
      createHmac('sha1', 'secret').update(data).digest('base64'),
    );
  });

  it('fails on another URL, another token, a changed param or no header', () => {
    const sig = twilioSignature('secret', url, params);
    expect(verifyTwilioSignature('secret', url, params, sig)).toBe(true);
    expect(verifyTwilioSignature('secret', `${url}?x=1`, params, sig)).toBe(false);
    expect(verifyTwilioSignature('other', url, params, sig)).toBe(false);
    expect(verifyTwilioSignature('secret', url, { ...params, Body: 'ACK 4' }, sig)).toBe(false);
    expect(verifyTwilioSignature('secret', url, params, undefined)).toBe(false);
  });
});
