import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { SsrfBlockedError, type ResolvedAddress, type SsrfGuard } from './ssrf-guard';

export interface GuardedRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  /** Redirects followed by hand, each hop checked again; 0 returns the 3xx itself. */
  maxRedirects?: number;
  /** Bytes of the response body kept; the rest is read and dropped. */
  maxBodyBytes?: number;
  /** false records an invalid certificate instead of failing (checks report it). */
  rejectUnauthorized?: boolean;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
  redirects: number;
  durationMs: number;
  /** The server certificate's notAfter (ms), for HTTPS. */
  certNotAfter?: number;
  /** Why the certificate would not be trusted, when rejectUnauthorized was false. */
  certError?: string;
  /** The body went past maxBodyBytes: `body` is only its beginning. */
  truncated: boolean;
}

export type FetchFailureKind = 'blocked' | 'invalid' | 'resolve' | 'timeout' | 'network' | 'tls' | 'redirects';

export class GuardedFetchError extends Error {
  constructor(
    readonly kind: FetchFailureKind,
    message: string,
  ) {
    super(message);
  }
  /** Refusals and bad URLs will fail the same way next time. */
  get permanent(): boolean {
    return this.kind === 'blocked' || this.kind === 'invalid';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Credentials meant for the configured target; a redirect elsewhere does not get them (as curl,
// browsers' fetch and Go's http.Client, which Prometheus scrapes with, behave).
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * A lookup that answers with the addresses the guard already checked, whatever the name; asked
 * for all (Node's connection attempts over several addresses), it gives all, in order.
 */
export function pinnedLookup(resolved: ResolvedAddress | readonly ResolvedAddress[]): LookupFunction {
  const addresses = Array.isArray(resolved) ? resolved : [resolved as ResolvedAddress];
  return ((_host: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) => {
    if (options?.all) cb(null, addresses.map(({ address, family }) => ({ address, family })));
    else cb(null, addresses[0].address, addresses[0].family);
  }) as LookupFunction;
}

/**
 * An HTTP(S) request for a tenant: each hop's host is resolved and judged by the guard before a
 * socket exists, and the socket connects to exactly that address (TLS still verifies and sends
 * SNI for the name). Redirects are followed here, never by the HTTP client, so every hop is judged.
 */
export async function guardedFetch(guard: SsrfGuard, req: GuardedRequest): Promise<GuardedResponse> {
  const started = performance.now();
  const deadline = Date.now() + req.timeoutMs;
  const maxRedirects = req.maxRedirects ?? 5;
  let url = parseUrl(req.url);
  let method = (req.method ?? 'GET').toUpperCase();
  let body = req.body;
  let headers = req.headers;
  for (let hop = 0; ; hop++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new GuardedFetchError('timeout', `timed out after ${req.timeoutMs} ms`);
    const resolved = await resolveOrThrow(guard, url.hostname);
    const res = await sendOnce(url, resolved, { ...req, method, body, headers }, remaining);
    const location = res.headers.location;
    if (REDIRECTS.has(res.status) && location && maxRedirects > 0) {
      if (hop >= maxRedirects) throw new GuardedFetchError('redirects', `more than ${maxRedirects} redirects`);
      const next = parseUrl(new URL(location, url).toString());
      if (next.origin !== url.origin && headers) {
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
      }
      url = next;
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    return { ...res, url: url.toString(), redirects: hop, durationMs: performance.now() - started };
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GuardedFetchError('invalid', `not a valid URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GuardedFetchError('invalid', `unsupported protocol ${url.protocol}`);
  }
  return url;
}

async function resolveOrThrow(guard: SsrfGuard, hostname: string): Promise<ResolvedAddress[]> {
  try {
    return await guard.resolveAll(hostname.replace(/^\[|\]$/g, ''));
  } catch (err) {
    if (err instanceof SsrfBlockedError) throw new GuardedFetchError('blocked', err.message);
    throw new GuardedFetchError('resolve', (err as Error).message);
  }
}

function sendOnce(
  url: URL,
  resolved: ResolvedAddress[],
  req: GuardedRequest & { method: string },
  timeoutMs: number,
): Promise<Omit<GuardedResponse, 'url' | 'redirects' | 'durationMs'>> {
  const https = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const payload = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string> = { 'user-agent': 'Tocsin-Probe/1', ...req.headers };
  if (payload) headers['content-length'] = String(payload.length);
  const options: RequestOptions & { servername?: string; rejectUnauthorized?: boolean; autoSelectFamily?: boolean } = {
    method: req.method,
    headers,
    lookup: pinnedLookup(resolved),
    // Several checked addresses: try the next when one cannot be reached (happy eyeballs).
    autoSelectFamily: true,
    signal: AbortSignal.timeout(timeoutMs),
    agent: false,
  };
  if (https) {
    options.rejectUnauthorized = req.rejectUnauthorized ?? true;
    if (!isIP(host)) options.servername = host;
  }
  const maxBody = req.maxBodyBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    const r = (https ? httpsRequest : httpRequest)(url, options, (res) => {
      let certNotAfter: number | undefined;
      let certError: string | undefined;
      if (https) {
        const socket = res.socket as TLSSocket;
        const cert: PeerCertificate | undefined = socket.getPeerCertificate?.();
        if (cert?.valid_to) certNotAfter = Date.parse(cert.valid_to);
        if (!socket.authorized && socket.authorizationError) certError = String(socket.authorizationError);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < maxBody) chunks.push(c.subarray(0, maxBody - size));
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), certNotAfter, certError, truncated: size > maxBody }));
      res.on('error', (err) => reject(classify(err, timeoutMs)));
    });
    r.on('error', (err) => reject(classify(err, timeoutMs)));
    r.end(payload);
  });
}

function classify(err: NodeJS.ErrnoException, timeoutMs: number): GuardedFetchError {
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return new GuardedFetchError('timeout', `timed out after ${timeoutMs} ms`);
  if (err.code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(err.code)) return new GuardedFetchError('tls', `TLS: ${err.code}`);
  return new GuardedFetchError('network', `${err.code ?? err.message}`);
}

/** A TCP connection to host:port through the guard; resolves with the open socket. */
export async function guardedConnect(guard: SsrfGuard, host: string, port: number, timeoutMs: number): Promise<Socket> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new GuardedFetchError('invalid', `bad port ${port}`);
  const resolved = await resolveOrThrow(guard, host);
  return new Promise((resolve, reject) => {
    // The name goes to the pinned lookup, which answers with the checked addresses only; Node
    // tries them in turn.
    const socket = netConnect({ host, port, lookup: pinnedLookup(resolved), autoSelectFamily: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new GuardedFetchError('timeout', `timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(classify(err, timeoutMs));
    });
  });
}
