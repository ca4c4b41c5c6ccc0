import { execFileSync } from 'node:child_process';
import { HttpReceiver } from '../../testing/http-receiver';
import { FIXED_NOW, ctx, rendered } from '../../testing/fixtures';
import { feishuNotifier, feishuSign } from './feishu.notifier';

/** Feishu's documented algorithm, computed with the openssl CLI: key = "<t>\n<secret>", message empty. */
function opensslSign(t: number, secret: string): string {
  return execFileSync('openssl', ['dgst', '-sha256', '-hmac', `${t}\n${secret}`, '-binary'], {
    input: '',
  }).toString('base64');
}

describe('Feishu notifier', () => {
  const receiver = new HttpReceiver();
  let base: string;
  beforeAll(async () => (base = await receiver.start()));
  afterAll(() => receiver.stop());
  beforeEach(() => (receiver.requests.length = 0));

  it('signs with HMAC keyed by timestamp+"\\n"+secret over an empty message', () => {
    expect(feishuSign('s3cret', 1764158400)).toBe(opensslSign(1764158400, 's3cret'));
  });

  it('sends text with timestamp (seconds, as a string) and sign in the body', async () => {
    receiver.responder = () => ({ status: 200, body: '{"code":0,"msg":"success","data":{}}' });
    const config = feishuNotifier.configSchema.parse({
      webhookUrl: `${base}/open-apis/bot/v2/hook/x`,
      secret: 's3cret',
    });
    expect(await feishuNotifier.send(rendered(), config, ctx())).toEqual({ ok: true });
    const body = JSON.parse(receiver.requests[0].body);
    const t = Math.floor(FIXED_NOW.getTime() / 1000);
    expect(body).toMatchObject({
      timestamp: String(t),
      sign: opensslSign(t, 's3cret'),
      msg_type: 'text',
    });
    expect(body.content.text).toContain('DiskFull');
  });

  it.each([
    ['{"code":9499,"msg":"Too Many Request"}', true],
    [
      '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}',
      false,
    ],
    ['{"StatusCode":0,"StatusMessage":"success"}', null],
  ])('%s → retryable=%s', async (body, retryable) => {
    receiver.responder = () => ({ status: 200, body });
    const config = feishuNotifier.configSchema.parse({ webhookUrl: `${base}/hook` });
    const r = await feishuNotifier.send(rendered(), config, ctx());
    if (retryable === null) expect(r).toEqual({ ok: true });
    else expect(r).toMatchObject({ ok: false, retryable });
  });
});
