import type { Agent as HttpAgent, IncomingMessage, OutgoingHttpHeaders, RequestOptions } from 'node:http';

// node:http rather than fetch: fetch loads undici, which took the agent's RSS up by ~17 MB
// (and its peak by ~40 MB) in the measurements of docs/benchmarks.md. node:https, and TLS with
// it, are loaded only for https URLs.

interface Transport {
  request(url: URL, options: RequestOptions, cb: (res: IncomingMessage) => void): import('node:http').ClientRequest;
  agent: HttpAgent;
}

const transports: Partial<Record<string, Transport>> = {};

function transport(protocol: string): Transport {
  let t = transports[protocol];
  if (!t) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const mod = protocol === 'https:' ? (require('node:https') as typeof import('node:https')) : (require('node:http') as typeof import('node:http'));
    /* eslint-enable @typescript-eslint/no-require-imports */
    // Keep-alive carries a backfill's many requests over one connection; idle sockets close
    // after 4 s, before a typical server's 5 s keep-alive timeout can race a new request.
    t = { request: mod.request, agent: new mod.Agent({ keepAlive: true, maxSockets: 2, timeout: 4000 }) };
    transports[protocol] = t;
  }
  return t;
}

export interface HttpResult {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * One request; resolves with the status and body (at most `maxBytes`), rejects on a network
 * error, a timeout (covering the whole exchange) or a larger body.
 */
export function httpRequest(
  url: URL,
  init: { method: 'GET' | 'POST'; headers: OutgoingHttpHeaders; body?: Buffer; timeoutMs: number; maxBytes: number },
): Promise<HttpResult> {
  const t = transport(url.protocol);
  return new Promise((resolve, reject) => {
    const req = t.request(url, { method: init.method, headers: init.body ? { ...init.headers, 'content-length': init.body.length } : init.headers, agent: t.agent }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > init.maxBytes) req.destroy(new Error(`response larger than ${init.maxBytes} bytes`));
        else chunks.push(c);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${init.timeoutMs} ms`)), init.timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(init.body);
  });
}
