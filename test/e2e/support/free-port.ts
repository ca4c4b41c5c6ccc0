import { createServer, type AddressInfo } from 'node:net';

/** A port on 127.0.0.1 nothing listens on right now (the OS picks it; the listener is closed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
