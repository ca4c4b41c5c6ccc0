import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Responder = (
  req: ReceivedRequest,
  index: number,
) => { status: number; body?: string; headers?: Record<string, string> } | 'hang';

/**
 * A real HTTP server on 127.0.0.1 standing in for a provider's API in tests: it records every
 * request and answers what the test's responder says ('hang' keeps the connection open).
 */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  private server?: Server;
  private hanging: ServerResponse[] = [];

  constructor(public responder: Responder = () => ({ status: 200, body: 'ok' })) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: ReceivedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        this.requests.push(r);
        const answer = this.responder(r, this.requests.length - 1);
        if (answer === 'hang') {
          this.hanging.push(res);
          return;
        }
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.headers ?? {}),
        });
        res.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
