import { createHmac, timingSafeEqual } from 'node:crypto';
import { loadConfig } from '@tocsin/config';

/**
 * Signed, expiring tokens for links that act without a session: acknowledge/resolve links in
 * pages, the voice call's TwiML URL, and a user's iCal feed. Each is bound to an organization,
 * an incident (or a feed) and a user, and to its purpose, so one kind cannot be replayed as another.
 */
export type LinkPurpose = 'incident-action' | 'voice' | 'ical';

export interface LinkClaims {
  p: LinkPurpose;
  o: string; // organization
  u: string; // user
  i?: string; // incident
  /** Expiry, epoch seconds; absent for feeds, which are revoked by rotating SECRET_KEY. */
  x?: number;
}

function key(): Buffer {
  // Derived, so the same SECRET_KEY signing other things never yields a valid link.
  return createHmac('sha256', loadConfig().SECRET_KEY).update('tocsin:oncall-links:v1').digest();
}

export function signLink(claims: LinkClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', key()).update(body).digest('base64url');
  return `${body}.${mac}`;
}

export type LinkCheck =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-purpose' };

export function verifyLink(token: string, purpose: LinkPurpose, now = Date.now()): LinkCheck {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  // Compared as text, not decoded: base64url decoding drops the last character's spare bits
  // and skips characters outside the alphabet, so several strings decode to one signature.
  const expected = Buffer.from(
    createHmac('sha256', key()).update(parts[0]).digest('base64url'),
    'latin1',
  );
  const given = Buffer.from(parts[1], 'latin1');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as LinkClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.p !== purpose) return { ok: false, reason: 'wrong-purpose' };
  if (claims.x !== undefined && claims.x * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** Twilio's request signature: base64 HMAC-SHA1 over the full URL followed by the POST params sorted by name, each as name+value. */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  header: string | undefined,
): boolean {
  if (!authToken || !header) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
