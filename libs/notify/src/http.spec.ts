import { HttpReceiver } from './testing/http-receiver';
import { httpRequest, isPrivateAddress } from './http';

describe('httpRequest private-network guard', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['2001:4860:4860::8888', false],
  ])('%s private=%s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });

  it('refuses loopback and metadata addresses, by literal and by name, without connecting', async () => {
    const receiver = new HttpReceiver();
    const base = await receiver.start();
    try {
      const port = new URL(base).port;
      for (const url of [
        base,
        `http://localhost:${port}/`,
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]:9/',
      ]) {
        const r = await httpRequest({
          url,
          body: '{}',
          timeoutMs: 1000,
          allowPrivateNetworks: false,
        });
        expect(r).toMatchObject({ ok: false, permanent: true });
      }
      expect(receiver.requests).toHaveLength(0);
      const allowed = await httpRequest({
        url: base,
        body: '{}',
        timeoutMs: 1000,
        allowPrivateNetworks: true,
      });
      expect(allowed).toMatchObject({ ok: true, response: { status: 200 } });
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await receiver.stop();
    }
  });

  it('refuses non-HTTP protocols', async () => {
    expect(
      await httpRequest({
        url: 'file:///etc/passwd',
        body: '',
        timeoutMs: 100,
        allowPrivateNetworks: true,
      }),
    ).toMatchObject({ ok: false, permanent: true });
  });
});
