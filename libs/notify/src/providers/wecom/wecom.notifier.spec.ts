import { HttpReceiver } from '../../testing/http-receiver';
import { ctx, rendered } from '../../testing/fixtures';
import { wecomBody, wecomNotifier } from './wecom.notifier';

describe('WeCom notifier', () => {
  const receiver = new HttpReceiver();
  let base: string;
  beforeAll(async () => (base = await receiver.start()));
  afterAll(() => receiver.stop());
  beforeEach(() => (receiver.requests.length = 0));

  it('posts markdown to the keyed URL, unsigned', async () => {
    receiver.responder = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
    const config = wecomNotifier.configSchema.parse({
      webhookUrl: `${base}/cgi-bin/webhook/send?key=abc`,
    });
    expect(await wecomNotifier.send(rendered(), config, ctx())).toEqual({ ok: true });
    expect(receiver.requests[0].url).toBe('/cgi-bin/webhook/send?key=abc');
    const body = JSON.parse(receiver.requests[0].body);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toContain('<font color="warning">');
  });

  it('keeps markdown under 4096 bytes even for multi-byte text', () => {
    const msg = rendered();
    msg.text = '告警'.repeat(3000);
    expect(
      Buffer.byteLength(String((wecomBody(msg).markdown as { content: string }).content)),
    ).toBeLessThanOrEqual(4096);
  });

  it.each([
    ['{"errcode":45009,"errmsg":"api freq out of limit"}', true],
    ['{"errcode":93000,"errmsg":"invalid webhook url"}', false],
  ])('%s → retryable=%s', async (body, retryable) => {
    receiver.responder = () => ({ status: 200, body });
    const config = wecomNotifier.configSchema.parse({ webhookUrl: `${base}/x?key=k` });
    expect(await wecomNotifier.send(rendered(), config, ctx())).toMatchObject({
      ok: false,
      retryable,
    });
  });
});
