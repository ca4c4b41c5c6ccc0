import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configureHttpServer, KEEP_ALIVE_MS } from './http-server';

describe('configureHttpServer', () => {
  let server: Server;

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('tells keep-alive clients they may keep an idle connection for 65 s, not 5', async () => {
    server = createServer((_req, res) => res.end('ok'));
    configureHttpServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const keepAlive = await new Promise<string | undefined>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, headers: { connection: 'keep-alive' } },
        (res) => {
          res.resume();
          resolve(res.headers['keep-alive'] as string | undefined);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(KEEP_ALIVE_MS).toBeGreaterThan(60_000);
    expect(keepAlive).toBe(`timeout=${KEEP_ALIVE_MS / 1000}`);
  });
});
