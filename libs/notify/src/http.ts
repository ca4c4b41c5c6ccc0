import type { SendResult } from './notifier';

export interface HttpRequest {
  url: string;
  method?: 'POST' | 'PUT';
  headers?: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** The outcome of an HTTP call: a response, or a network-level failure (which is worth retrying). */
export type HttpOutcome = { ok: true; response: HttpResponse } | { ok: false; reason: string };

/** One HTTP request with a hard timeout; never throws. */
export async function httpRequest(req: HttpRequest): Promise<HttpOutcome> {
  try {
    const res = await fetch(req.url, {
      method: req.method ?? 'POST',
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    const text = await res.text();
    return { ok: true, response: { status: res.status, headers: res.headers, text } };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const detail = e.name === 'TimeoutError' ? `timed out after ${req.timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, reason: `request failed: ${detail}` };
  }
}

/** Alertmanager's rule: 429 and 5xx are worth retrying, other non-2xx statuses are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** The common case: 2xx succeeded, anything else is classified by status. */
export function resultFromStatus(outcome: HttpOutcome, provider: string, messageId?: (r: HttpResponse) => string | undefined): SendResult {
  if (!outcome.ok) return { ok: false, retryable: true, reason: outcome.reason };
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
