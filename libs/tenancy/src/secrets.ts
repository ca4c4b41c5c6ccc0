import { createHash, randomBytes } from 'node:crypto';

/** A 256-bit random secret with a visible type prefix (`tsn_…` keys, `tss_…` sessions). */
export function randomSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Secrets are stored as their SHA-256: enough for 256-bit random values, and cheap to check. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
