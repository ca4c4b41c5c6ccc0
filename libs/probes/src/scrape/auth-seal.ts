import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { loadConfig } from '@tocsin/config';
import type { ScrapeAuth } from './scrape-engine';

/** What scrape_targets.auth holds: the kind in clear (for the API), the credentials sealed. */
export interface SealedAuth {
  kind: 'basic' | 'bearer';
  sealed: string;
}

const PREFIX = 'enc:v1:';

function key(): Buffer {
  return Buffer.from(hkdfSync('sha256', loadConfig().SECRET_KEY, 'tocsin', 'probes/scrape-auth/v1', 32));
}

/**
 * AES-256-GCM with a key derived from SECRET_KEY. The organization is associated data, so a
 * sealed value copied into another organization's row fails to open instead of being used.
 */
export function sealAuth(auth: ScrapeAuth, orgId: string): SealedAuth {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  cipher.setAAD(Buffer.from(`${orgId}:scrape-auth`, 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify(auth), 'utf8'), cipher.final()]);
  return {
    kind: auth.basic ? 'basic' : 'bearer',
    sealed: `${PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`,
  };
}

export function openAuth(sealed: SealedAuth, orgId: string): ScrapeAuth {
  if (!sealed.sealed?.startsWith(PREFIX)) throw new Error('scrape auth is not sealed');
  const [iv, tag, body] = sealed.sealed.slice(PREFIX.length).split('.');
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(`${orgId}:scrape-auth`, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')) as ScrapeAuth;
}
