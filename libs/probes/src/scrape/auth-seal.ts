import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { loadConfig } from '@tocsin/config';
import type { ScrapeAuth } from './scrape-engine';

/** What scrape_targets.auth holds: the kind in clear (for the API), the credentials sealed. */
export interface SealedAuth {
  kind: 'basic' | 'bearer';
  sealed: string;
}

const PREFIX = 'enc:v1:';

// AES-256-GCM with a key derived from SECRET_KEY (HKDF, its own info string). The organization
// and purpose are associated data, so a sealed value copied into another organization's row, or
// into another field, fails to open instead of being used.

function key(): Buffer {
  return Buffer.from(hkdfSync('sha256', loadConfig().SECRET_KEY, 'tocsin', 'probes/secrets/v1', 32));
}

export function sealJson(value: unknown, orgId: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  cipher.setAAD(Buffer.from(`${orgId}:${purpose}`, 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
}

export function openJson<T>(sealed: string, orgId: string, purpose: string): T {
  if (!sealed?.startsWith(PREFIX)) throw new Error('not a sealed value');
  const [iv, tag, body] = sealed.slice(PREFIX.length).split('.');
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(`${orgId}:${purpose}`, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')) as T;
}

export function sealAuth(auth: ScrapeAuth, orgId: string): SealedAuth {
  return { kind: auth.basic ? 'basic' : 'bearer', sealed: sealJson(auth, orgId, 'scrape-auth') };
}

export function openAuth(sealed: SealedAuth, orgId: string): ScrapeAuth {
  return openJson<ScrapeAuth>(sealed.sealed, orgId, 'scrape-auth');
}
