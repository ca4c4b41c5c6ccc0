import { execFileSync } from 'node:child_process';
import { HttpReceiver } from '../../testing/http-receiver';
import { FIXED_NOW, ctx, rendered } from '../../testing/fixtures';
import { dingtalkNotifier, dingtalkSign } from './dingtalk.notifier';

/** An independent computation with the openssl CLI, as DingTalk documents it. */
function opensslHmacBase64(key: string, message: string): string {
  return execFileSync('openssl', ['dgst', '-sha256', '-hmac', key, '-binary'], {
    input: message,
  }).toString('base64');
}

describe('DingTalk notifier', () => {
  const receiver = new HttpReceiver();
  let base: string;
  beforeAll(async () => (base = await receiver.start()));
  afterAll(() => receiver.stop());
  beforeEach(() => (receiver.requests.length = 0));

  it('signs timestamp+"\\n"+secret with the secret, base64, url-encoded', () => {
    const secret = 'SEC0123456789abcdef';
    const ts = 1764158400000;
    expect(decodeURIComponent(dingtalkSign(secret, ts))).toBe(
      opensslHmacBase64(secret, `${ts}\n${secret}`),
    );
    expect(dingtalkSign(secret, ts)).not.toMatch(/[+/=]/);
  });

  it('sends markdown with timestamp and sign in the URL', async () => {
    receiver.responder = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
    const config = dingtalkNotifier.configSchema.parse({
      webhookUrl: `${base}/robot/send?access_token=tok`,
      secret: 'SECabc',
    });
    expect(await dingtalkNotifier.send(rendered(), config, ctx())).toEqual({ ok: true });
    const url = new URL(receiver.requests[0].url, base);
    expect(url.searchParams.get('access_token')).toBe('tok');
    expect(url.searchParams.get('timestamp')).toBe(String(FIXED_NOW.getTime()));
    expect(url.searchParams.get('sign')).toBe(
      opensslHmacBase64('SECabc', `${FIXED_NOW.getTime()}\nSECabc`),
    );
    const body = JSON.parse(receiver.requests[0].body);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.text).toContain('DiskFull');
  });

  it.each([
    [200, '{"errcode":130101,"errmsg":"send too fast"}', true],
    [200, '{"errcode":310000,"errmsg":"sign not match"}', false],
    [502, 'bad gateway', true],
  ])('HTTP %i %s → retryable=%s', async (status, body, retryable) => {
    receiver.responder = () => ({ status, body });
    const config = dingtalkNotifier.configSchema.parse({
      webhookUrl: `${base}/robot/send?access_token=tok`,
    });
    expect(await dingtalkNotifier.send(rendered(), config, ctx())).toMatchObject({
      ok: false,
      retryable,
    });
  });
});
