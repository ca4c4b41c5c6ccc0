import {
  httpRequest,
  isRetryableStatus,
  jsonHeaders,
  safeJson,
  truncate,
  type HttpOutcome,
} from '../http';
import type { NotifyContext, SendResult } from '../notifier';

/**
 * DingTalk, Feishu and WeCom answer HTTP 200 even when they refuse a message; the verdict is an
 * error code in the body. `retryableCodes` are their "too many requests" codes.
 */
export function resultFromErrcode(
  outcome: HttpOutcome,
  provider: string,
  codeField: string,
  messageField: string,
  retryableCodes: readonly number[],
): SendResult {
  if (!outcome.ok) return { ok: false, retryable: !outcome.permanent, reason: outcome.reason };
  const { status, text } = outcome.response;
  if (status < 200 || status >= 300) {
    return {
      ok: false,
      retryable: isRetryableStatus(status),
      reason: `${provider} answered ${status}: ${truncate(text, 200)}`,
    };
  }
  const json = safeJson(text);
  const code = Number(json?.[codeField] ?? json?.StatusCode ?? NaN);
  if (code === 0) return { ok: true };
  if (Number.isNaN(code))
    return {
      ok: false,
      retryable: true,
      reason: `${provider} answered an unreadable body: ${truncate(text, 200)}`,
    };
  const message = String(json?.[messageField] ?? json?.StatusMessage ?? '');
  return {
    ok: false,
    retryable: retryableCodes.includes(code),
    reason: `${provider} error ${code}: ${truncate(message, 200)}`,
  };
}

export async function postJson(
  url: string,
  body: unknown,
  ctx: Pick<NotifyContext, 'timeoutMs' | 'allowPrivateNetworks'>,
): Promise<HttpOutcome> {
  return httpRequest({
    url,
    body: JSON.stringify(body),
    headers: jsonHeaders(),
    timeoutMs: ctx.timeoutMs,
    allowPrivateNetworks: ctx.allowPrivateNetworks,
  });
}
