import { GuardedFetchError, SsrfGuard, guardedFetch, isBlockedAddress } from '@tocsin/probes';
import type { IncomingHttpHeaders } from 'node:http';
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
export type HttpOutcome =
  { ok: true; response: HttpResponse } | { ok: false; reason: string; permanent?: boolean };

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Whether an address belongs to loopback, private, link-local, CGNAT, multicast or reserved
 * space. The one policy shared with scrapes and checks lives in @tocsin/probes.
 */
export const isPrivateAddress = isBlockedAddress;

/**
 * One HTTP request with a hard timeout; never throws. Goes through the shared SSRF guard: the
 * host is resolved and judged before any socket opens, and the socket connects to the judged
 * address. Redirects are not followed (a provider API that redirects is misconfigured).
 */
export async function httpRequest(req: HttpRequest): Promise<HttpOutcome> {
  const guard = new SsrfGuard({ allowPrivate: req.allowPrivateNetworks });
  try {
    const res = await guardedFetch(guard, {
      url: req.url,
      method: req.method ?? 'POST',
      headers: req.headers,
      body: req.body,
      timeoutMs: req.timeoutMs,
      maxRedirects: 0,
      maxBodyBytes: MAX_RESPONSE_BYTES,
    });
    return {
      ok: true,
      response: { status: res.status, headers: res.headers, text: res.body.toString('utf8') },
    };
  } catch (err) {
    if (!(err instanceof GuardedFetchError))
      return { ok: false, reason: `request failed: ${(err as Error).message}` };
    switch (err.kind) {
      case 'blocked':
        return {
          ok: false,
          reason: 'The URL resolves to a private network address',
          permanent: true,
        };
      case 'invalid':
        return {
          ok: false,
          reason: err.message.startsWith('unsupported')
            ? `Unsupported protocol: ${err.message}`
            : 'The URL is not valid',
          permanent: true,
        };
      default:
        return { ok: false, reason: `request failed: ${err.message}` };
    }
  }
}

/** Alertmanager's rule: 429 and 5xx are worth retrying, other non-2xx statuses are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** The common case: 2xx succeeded, anything else is classified by status. */
export function resultFromStatus(
  outcome: HttpOutcome,
  provider: string,
  messageId?: (r: HttpResponse) => string | undefined,
): SendResult {
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
