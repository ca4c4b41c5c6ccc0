import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { WriteSeries } from '@tocsin/tsdb';
import { GuardedFetchError, guardedConnect, guardedFetch } from '../ssrf/guarded-fetch';
import type { SsrfGuard } from '../ssrf/ssrf-guard';
import type { DnsCheckConfig, HttpCheckConfig } from './check-config';
import { jsonPathGet } from './json-path';

export type CheckKind = 'http' | 'tcp' | 'dns';

export interface CheckSpec {
  id: string;
  name: string;
  kind: CheckKind;
  /** URL (http), host:port (tcp) or DNS name (dns). */
  target: string;
  timeoutMs: number;
  http?: HttpCheckConfig;
  dns?: DnsCheckConfig;
}

export interface CheckResult {
  success: boolean;
  durationMs: number;
  error: string | null;
  statusCode?: number;
  /** The server certificate's notAfter, ms (HTTPS). */
  certNotAfter?: number;
  answers?: string[];
}

/** One probe run. Never throws: every failure is a result with success false and a reason. */
export async function runCheck(spec: CheckSpec, guard: SsrfGuard): Promise<CheckResult> {
  const started = performance.now();
  const done = (r: Omit<CheckResult, 'durationMs'>): CheckResult => ({ ...r, durationMs: performance.now() - started });
  try {
    switch (spec.kind) {
      case 'http':
        return done(await httpCheck(spec, guard));
      case 'tcp': {
        const { host, port } = splitHostPort(spec.target);
        const socket = await guardedConnect(guard, host, port, spec.timeoutMs);
        socket.destroy();
        return done({ success: true, error: null });
      }
      case 'dns':
        return done(await dnsCheck(spec, guard));
    }
  } catch (err) {
    const msg = err instanceof GuardedFetchError ? `${err.kind}: ${err.message}` : (err as Error).message;
    return done({ success: false, error: msg });
  }
}

async function httpCheck(spec: CheckSpec, guard: SsrfGuard): Promise<Omit<CheckResult, 'durationMs'>> {
  const c = spec.http!;
  const res = await guardedFetch(guard, {
    url: spec.target,
    method: c.method,
    headers: c.headers,
    body: c.body,
    timeoutMs: spec.timeoutMs,
    maxRedirects: c.followRedirects ? 5 : 0,
    maxBodyBytes: 1024 * 1024,
    rejectUnauthorized: !c.tlsInsecureSkipVerify,
  });
  const base = { statusCode: res.status, certNotAfter: res.certNotAfter };
  const statusOk = c.expectedStatus?.length ? c.expectedStatus.includes(res.status) : res.status >= 200 && res.status < 300;
  if (!statusOk) return { ...base, success: false, error: `unexpected status ${res.status}` };
  const text = res.body.toString('utf8');
  if (c.keyword !== undefined) {
    const found = text.includes(c.keyword);
    if (found === c.keywordInvert) return { ...base, success: false, error: c.keywordInvert ? `keyword "${c.keyword}" present` : `keyword "${c.keyword}" not found` };
  }
  if (c.jsonPath) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return { ...base, success: false, error: 'body is not JSON' };
    }
    const v = jsonPathGet(doc, c.jsonPath);
    if (c.jsonPathEquals !== undefined) {
      const s = typeof v === 'string' ? v : JSON.stringify(v);
      if (s !== c.jsonPathEquals) return { ...base, success: false, error: `${c.jsonPath} is ${s ?? 'missing'}, expected ${c.jsonPathEquals}` };
    } else if (!v) {
      return { ...base, success: false, error: `${c.jsonPath} is missing or false` };
    }
  }
  return { ...base, success: true, error: null };
}

async function dnsCheck(spec: CheckSpec, guard: SsrfGuard): Promise<Omit<CheckResult, 'durationMs'>> {
  const c = spec.dns!;
  const resolver = new Resolver({ timeout: spec.timeoutMs, tries: 1 });
  if (c.server) {
    // The DNS server is tenant-supplied too: it goes through the same guard as any target.
    const { host, port } = splitHostPort(c.server, 53);
    const checked = await guard.resolve(host);
    resolver.setServers([checked.family === 6 ? `[${checked.address}]:${port}` : `${checked.address}:${port}`]);
  }
  let answers: string[];
  switch (c.recordType) {
    case 'A':
      answers = await resolver.resolve4(spec.target);
      break;
    case 'AAAA':
      answers = await resolver.resolve6(spec.target);
      break;
    case 'CNAME':
      answers = await resolver.resolveCname(spec.target);
      break;
    case 'NS':
      answers = await resolver.resolveNs(spec.target);
      break;
    case 'MX':
      answers = (await resolver.resolveMx(spec.target)).map((m) => `${m.priority} ${m.exchange}`);
      break;
    case 'TXT':
      answers = (await resolver.resolveTxt(spec.target)).map((parts) => parts.join(''));
      break;
  }
  const missing = c.expect.filter((e) => !answers.includes(e));
  if (missing.length) return { success: false, error: `missing ${c.recordType} ${missing.join(', ')} (got ${answers.join(', ') || 'nothing'})`, answers };
  return { success: true, error: null, answers };
}

export function splitHostPort(s: string, defaultPort?: number): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) return { host: bracketed[1], port: Number(bracketed[2] ?? defaultPort) };
  if (isIP(s) === 6) return { host: s, port: Number(defaultPort) };
  const i = s.lastIndexOf(':');
  if (i < 0) return { host: s, port: Number(defaultPort) };
  return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
}

/** Results as series named like blackbox_exporter's, plus our consecutive-failure gauge. */
export function checkSeries(spec: Pick<CheckSpec, 'id' | 'name' | 'kind' | 'target'>, r: CheckResult, consecutiveFailures: number, now: number): WriteSeries[] {
  const labels = { check: spec.name, check_id: spec.id, kind: spec.kind, instance: spec.target, job: 'tocsin_checks' };
  const one = (name: string, value: number): WriteSeries => ({ labels: { ...labels, __name__: name }, timestamps: [now], values: Float64Array.of(value) });
  const out = [one('probe_success', r.success ? 1 : 0), one('probe_duration_seconds', r.durationMs / 1000), one('probe_consecutive_failures', consecutiveFailures)];
  if (r.statusCode !== undefined) out.push(one('probe_http_status_code', r.statusCode));
  if (r.certNotAfter !== undefined && Number.isFinite(r.certNotAfter)) out.push(one('probe_ssl_earliest_cert_expiry', r.certNotAfter / 1000));
  return out;
}
