import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('x'.repeat(40));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('hunter2-token', 'org-a:slack:webhookUrl');
    expect(sealed).toMatch(/^enc:v1:/);
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed, 'org-a:slack:webhookUrl')).toBe('hunter2-token');
    expect(box.seal('same', 'a')).not.toBe(box.seal('same', 'a'));
  });

  it('refuses another organization, another field, another key and tampering', () => {
    const sealed = box.seal('v', 'org-a:slack:webhookUrl');
    expect(() => box.open(sealed, 'org-b:slack:webhookUrl')).toThrow();
    expect(() => box.open(sealed, 'org-a:slack:other')).toThrow();
    expect(() => new SecretBox('y'.repeat(40)).open(sealed, 'org-a:slack:webhookUrl')).toThrow();
    const parts = sealed.split('.');
    parts[2] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'), 'org-a:slack:webhookUrl')).toThrow();
  });
});
