import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the local SMTP server received it. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  at: number;
}

function decodeQuotedPrintable(s: string): string {
  return s
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function header(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head);
  return m ? m[1].trim() : null;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that keeps what it receives; no TLS, no auth. */
export async function startSmtp(): Promise<{
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          subject: header(raw, 'Subject') ?? '',
          text: decodeQuotedPrintable(raw),
          at: Date.now(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface ReceivedTwilio {
  kind: 'sms' | 'voice';
  params: Record<string, string>;
  at: number;
}

/**
 * NOT Twilio: a local HTTP server shaped like Twilio's Messages/Calls REST API (form posts,
 * basic auth, 201 with a sid). It checks the account's credentials like Twilio would.
 */
export async function startFakeTwilio(
  sid: string,
  token: string,
): Promise<{ url: string; received: ReceivedTwilio[]; close(): Promise<void> }> {
  const received: ReceivedTwilio[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const m = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(req.url ?? '');
      const auth = Buffer.from(`${sid}:${token}`).toString('base64');
      if (!m || m[1] !== sid || req.method !== 'POST') return void res.writeHead(404).end('{}');
      if (req.headers.authorization !== `Basic ${auth}`)
        return void res.writeHead(401).end('{"message":"Authenticate"}');
      const params = Object.fromEntries(new URLSearchParams(body));
      received.push({ kind: m[2] === 'Messages' ? 'sms' : 'voice', params, at: Date.now() });
      n += 1;
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ sid: `${m[2] === 'Messages' ? 'SM' : 'CA'}${n}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function waitFor<T>(
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
