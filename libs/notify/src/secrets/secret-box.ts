import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/**
 * AES-256-GCM for channel secrets. The key is derived from SECRET_KEY with HKDF so the same
 * deployment secret can serve other purposes (signing links) without reusing key material. The
 * associated data binds a ciphertext to its organization and field: a value copied into another
 * organization's row, or into another field, fails to decrypt instead of leaking.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    if (!secretKey || secretKey.length < 32)
      throw new Error('SECRET_KEY must be at least 32 characters');
    this.key = Buffer.from(
      hkdfSync('sha256', secretKey, 'tocsin', 'notify/channel-secrets/v1', 32),
    );
  }

  static isSealed(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${PREFIX}${iv.toString('base64url')}.${tag.toString('base64url')}.${body.toString('base64url')}`;
  }

  open(sealed: string, aad: string): string {
    if (!SecretBox.isSealed(sealed)) throw new Error('Not a sealed secret');
    const [iv, tag, body] = sealed.slice(PREFIX.length).split('.');
    if (!iv || !tag || body === undefined) throw new Error('Malformed sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}
