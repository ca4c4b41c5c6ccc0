import { openJson, sealJson } from '../scrape/auth-seal';

/** What the API shows instead of a header value; sent back unchanged, it keeps the stored value. */
export const HEADER_MASK = '••••••';
const PURPOSE = 'check-headers';

/**
 * HTTP check headers often carry credentials (Authorization, API keys), so the stored config
 * holds them sealed, with only their names in clear for display.
 */
export function sealCheckHeaders(config: Record<string, unknown>, orgId: string, previous?: Record<string, unknown>): Record<string, unknown> {
  const { headers, ...rest } = config as { headers?: Record<string, string> };
  delete (rest as Record<string, unknown>).sealedHeaders;
  delete (rest as Record<string, unknown>).headerNames;
  if (!headers || Object.keys(headers).length === 0) return rest;
  const old = previous ? openCheckHeaders(previous, orgId) : {};
  const merged = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === HEADER_MASK && k in old ? old[k] : v]));
  return { ...rest, headerNames: Object.keys(merged), sealedHeaders: sealJson(merged, orgId, PURPOSE) };
}

export function openCheckHeaders(config: Record<string, unknown>, orgId: string): Record<string, string> {
  return typeof config.sealedHeaders === 'string' ? openJson<Record<string, string>>(config.sealedHeaders, orgId, PURPOSE) : {};
}

/** The config as the API shows it: header names with masked values. */
export function maskedCheckConfig(config: Record<string, unknown>): Record<string, unknown> {
  const { sealedHeaders, headerNames, ...rest } = config as { sealedHeaders?: string; headerNames?: string[] };
  if (!sealedHeaders) return rest;
  return { ...rest, headers: Object.fromEntries((headerNames ?? []).map((n) => [n, HEADER_MASK])) };
}
