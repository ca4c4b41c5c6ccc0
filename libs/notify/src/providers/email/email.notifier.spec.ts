import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { ctx, rendered } from '../../testing/fixtures';
import { emailNotifier } from './email.notifier';

describe('email notifier', () => {
  const received: { from: string; to: string[]; raw: string }[] = [];
  let rejectWith: number | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(_addr, _session, cb) {
      if (rejectWith) {
        const err = Object.assign(new Error('mailbox unavailable'), { responseCode: rejectWith });
        cb(err);
      } else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    rejectWith = null;
  });

  it('sends multipart text + HTML with the idempotency key header', async () => {
    const config = emailNotifier.configSchema.parse({
      to: ['ops@example.com'],
      from: 'alerts@example.com',
      smtpUrl: url,
    });
    const r = await emailNotifier.send(rendered(), config, ctx());
    expect(r.ok).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual(['ops@example.com']);
    expect(received[0].raw).toContain('Subject: [FIRING:1] DiskFull (warning)');
    expect(received[0].raw).toMatch(/Content-Type: text\/plain/);
    expect(received[0].raw).toMatch(/Content-Type: text\/html/);
    expect(received[0].raw).toContain('X-Tocsin-Idempotency-Key: group-1:firing:chan-1');
  });

  it('uses the deployment SMTP server when the channel has none', async () => {
    const r = await emailNotifier.send(
      rendered(),
      emailNotifier.configSchema.parse({ to: ['a@example.com'] }),
      ctx({ deployment: { smtpUrl: url, smtpFrom: 'd@example.com' } }),
    );
    expect(r.ok).toBe(true);
    expect(received[0].from).toBe('d@example.com');
  });

  it('SMTP 4xx is transient, 5xx permanent, no server configured is permanent', async () => {
    const config = emailNotifier.configSchema.parse({ to: ['ops@example.com'], smtpUrl: url });
    rejectWith = 450;
    expect(await emailNotifier.send(rendered(), config, ctx())).toMatchObject({
      ok: false,
      retryable: true,
    });
    rejectWith = 550;
    expect(await emailNotifier.send(rendered(), config, ctx())).toMatchObject({
      ok: false,
      retryable: false,
    });
    expect(
      await emailNotifier.send(
        rendered(),
        emailNotifier.configSchema.parse({ to: ['a@example.com'] }),
        ctx(),
      ),
    ).toMatchObject({ ok: false, retryable: false });
  });

  it('a channel SMTP server on a private address is refused; the deployment one is trusted', async () => {
    const guarded = ctx({
      allowPrivateNetworks: false,
      deployment: { smtpUrl: url, smtpFrom: 'd@example.com' },
    });
    const own = emailNotifier.configSchema.parse({ to: ['ops@example.com'], smtpUrl: url });
    expect(await emailNotifier.send(rendered(), own, guarded)).toMatchObject({
      ok: false,
      retryable: false,
    });
    expect(received).toHaveLength(0);
    expect(
      (
        await emailNotifier.send(
          rendered(),
          emailNotifier.configSchema.parse({ to: ['a@example.com'] }),
          guarded,
        )
      ).ok,
    ).toBe(true);
    expect(received).toHaveLength(1);
  });

  it('a refused connection is transient', async () => {
    const config = emailNotifier.configSchema.parse({
      to: ['ops@example.com'],
      smtpUrl: 'smtp://127.0.0.1:1',
    });
    expect(await emailNotifier.send(rendered(), config, ctx())).toMatchObject({
      ok: false,
      retryable: true,
    });
  });
});
