import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequestRaw, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { SendResult } from './notifier';

export interface HttpRequest {
  url: string;
  method?: 'POST' | 'PUT';
  headers?: Record<string, string>;
  body: string;
  timeoutMs: number;
  /**
   * Tenant-supplied URLs must not reach the deployment's own network (loopback, RFC 1918,
   * link-local cloud metadata…): a failure reason quoting the response would leak it. Only
   * tests and self-hosted setups that deliver to internal hosts turn this on.
   */
  allowPrivateNetworks: boolean;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** The outcome of an HTTP call: a response, or a network-level failure (which is worth retrying). */
export type HttpOutcome = { ok: true; response: HttpResponse } | { ok: false; reason: string; permanent?: boolean };

const MAX_RESPONSE_BYTES = 64 * 1024;

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) privateRanges.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) privateRanges.addSubnet(net, prefix, 'ipv6');

/** Whether an address belongs to loopback, private, link-local, CGNAT, multicast or reserved space. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return privateRanges.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return privateRanges.check(mapped[1], 'ipv4');
    return privateRanges.check(address, 'ipv6');
  }
  return true;
}

class PrivateAddressError extends Error {
  readonly code = 'EPRIVATE';
}

/**
 * Checks the address the socket will actually connect to (not a separate, earlier lookup), so a
 * DNS answer that changes between check and connect cannot slip a private address through.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, options, (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => {
      if (err) return callback(err);
      const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
      if (!allowPrivate && list.some(isPrivateAddress)) {
        return callback(new PrivateAddressError(`${hostname} resolves to a private address`));
      }
      callback(null, address, family);
    });
  }) as LookupFunction;
}

/** One HTTP request with a hard timeout; never throws. */
export function httpRequest(req: HttpRequest): Promise<HttpOutcome> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.resolve({ ok: false, reason: 'The URL is not valid', permanent: true });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve({ ok: false, reason: `Unsupported protocol ${url.protocol}`, permanent: true });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!req.allowPrivateNetworks && isIP(host) && isPrivateAddress(host)) {
    return Promise.resolve({ ok: false, reason: 'The URL points at a private network address', permanent: true });
  }
  const body = Buffer.from(req.body, 'utf8');
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequestRaw;
    const r = send(
      url,
      {
        method: req.method ?? 'POST',
        headers: { ...req.headers, 'content-length': String(body.length) },
        lookup: guardedLookup(req.allowPrivateNetworks),
        signal: AbortSignal.timeout(req.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
        });
        res.on('end', () =>
          resolve({ ok: true, response: { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') } }),
        );
        res.on('error', (err) => resolve({ ok: false, reason: `response failed: ${err.message}` }));
      },
    );
    r.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof PrivateAddressError || err.code === 'EPRIVATE') {
        resolve({ ok: false, reason: 'The URL resolves to a private network address', permanent: true });
      } else if (err.name === 'AbortError' || err.name === 'TimeoutError') {
        resolve({ ok: false, reason: `request failed: timed out after ${req.timeoutMs} ms` });
      } else {
        resolve({ ok: false, reason: `request failed: ${err.code ?? err.message}` });
      }
    });
    r.end(body);
  });
}

/** Alertmanager's rule: 429 and 5xx are worth retrying, other non-2xx statuses are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** The common case: 2xx succeeded, anything else is classified by status. */
export function resultFromStatus(outcome: HttpOutcome, provider: string, messageId?: (r: HttpResponse) => string | undefined): SendResult {
  if (!outcome.ok) return { ok: false, retryable: !outcome.permanent, reason: outcome.reason };
  const { response } = outcome;
  if (response.status >= 200 && response.status < 300) {
    return { ok: true, providerMessageId: messageId?.(response) };
  }
  return {
    ok: false,
    retryable: isRetryableStatus(response.status),
    reason: `${provider} answered ${response.status}: ${truncate(response.text, 300)}`,
  };
}

export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function jsonHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', 'user-agent': 'Tocsin-Notify/1', ...extra };
}

export function safeJson(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
