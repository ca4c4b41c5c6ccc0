import { staleNaN, type WriteSeries } from '@tocsin/tsdb';
import { GuardedFetchError, guardedFetch } from '../ssrf/guarded-fetch';
import type { SsrfGuard } from '../ssrf/ssrf-guard';
import { isOpenMetrics, parseExposition } from './exposition-parser';
import { relabel, type CompiledRelabel } from './relabel';

export interface ScrapeAuth {
  basic?: { username: string; password: string };
  bearer?: string;
}

export interface ScrapeTargetSpec {
  job: string;
  scheme: 'http' | 'https';
  /** host:port; becomes the `instance` label. */
  address: string;
  metricsPath: string;
  timeoutMs: number;
  labels: Record<string, string>;
  auth?: ScrapeAuth | null;
  metricRelabel: CompiledRelabel[];
  /** Prometheus' body_size_limit: a larger body fails the scrape (default 32 MiB). */
  bodySizeLimitBytes?: number;
}

export interface ScrapeOutcome {
  up: boolean;
  error: string | null;
  durationMs: number;
  samplesScraped: number;
  samplesPostRelabel: number;
  /** Everything to write: samples, the synthetic series, and staleness markers. */
  write: WriteSeries[];
  /** Canonical keys of the series this scrape produced; the next scrape's "previous". */
  seriesKeys: string[];
}

const ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const MAX_BODY = 32 * 1024 * 1024;

export function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

function labelsOfKey(key: string): Record<string, string> {
  return Object.fromEntries(JSON.parse(key) as [string, string][]);
}

export function scrapeUrl(t: Pick<ScrapeTargetSpec, 'scheme' | 'address' | 'metricsPath'>): string {
  const path = t.metricsPath.startsWith('/') ? t.metricsPath : `/${t.metricsPath}`;
  return `${t.scheme}://${t.address}${path}`;
}

/**
 * One scrape with Prometheus semantics: target labels (job, instance, configured labels) win
 * over exposed ones, which are kept as exported_<name> (honor_labels: false); exposed
 * timestamps are honoured; metric relabeling runs last; up/scrape_* series are always written;
 * every series of the previous scrape that is missing now — all of them when the target is
 * down — gets a staleness marker at this scrape's time.
 */
export async function scrapeOnce(target: ScrapeTargetSpec, guard: SsrfGuard, previousKeys: string[], now: number): Promise<ScrapeOutcome> {
  const targetLabels: Record<string, string> = { ...target.labels, job: target.job, instance: target.address };
  const headers: Record<string, string> = { accept: ACCEPT, 'x-prometheus-scrape-timeout-seconds': String(target.timeoutMs / 1000) };
  if (target.auth?.basic) {
    headers.authorization = `Basic ${Buffer.from(`${target.auth.basic.username}:${target.auth.basic.password}`).toString('base64')}`;
  } else if (target.auth?.bearer) {
    headers.authorization = `Bearer ${target.auth.bearer}`;
  }
  const started = performance.now();
  let error: string | null = null;
  const samples = new Map<string, { labels: Record<string, string>; ts: number; value: number }>();
  let scraped = 0;
  try {
    const limit = target.bodySizeLimitBytes ?? MAX_BODY;
    const res = await guardedFetch(guard, { url: scrapeUrl(target), headers, timeoutMs: target.timeoutMs, maxBodyBytes: limit, maxRedirects: 5 });
    if (res.status !== 200) throw new Error(`server returned HTTP status ${res.status}`);
    // Parsing the first part would store half a scrape, and the rest would be marked stale.
    if (res.truncated) throw new Error(`body exceeds the limit of ${limit} bytes`);
    const parsed = parseExposition(res.body.toString('utf8'), isOpenMetrics(res.headers['content-type']));
    scraped = parsed.length;
    for (const s of parsed) {
      const merged: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.labels)) {
        if (k !== '__name__' && k in targetLabels) merged[`exported_${k}`] = v;
        else merged[k] = v;
      }
      Object.assign(merged, targetLabels);
      const final = relabel(merged, target.metricRelabel);
      if (!final) continue;
      samples.set(seriesKey(final), { labels: final, ts: s.timestampMs ?? now, value: s.value });
    }
  } catch (err) {
    error = err instanceof GuardedFetchError ? `${err.kind}: ${err.message}` : (err as Error).message;
    samples.clear();
    scraped = 0;
  }
  const durationMs = performance.now() - started;
  const up = error === null;
  const write: WriteSeries[] = [];
  for (const s of samples.values()) write.push({ labels: s.labels, timestamps: [s.ts], values: Float64Array.of(s.value) });
  const current = new Set(samples.keys());
  const stale = staleNaN();
  for (const key of previousKeys) {
    if (!current.has(key)) write.push({ labels: labelsOfKey(key), timestamps: [now], values: Float64Array.of(stale) });
  }
  const synthetic = (name: string, value: number): WriteSeries => ({
    labels: { ...targetLabels, __name__: name },
    timestamps: [now],
    values: Float64Array.of(value),
  });
  write.push(
    synthetic('up', up ? 1 : 0),
    synthetic('scrape_duration_seconds', durationMs / 1000),
    synthetic('scrape_samples_scraped', scraped),
    synthetic('scrape_samples_post_metric_relabeling', samples.size),
  );
  return { up, error, durationMs, samplesScraped: scraped, samplesPostRelabel: samples.size, write, seriesKeys: [...current] };
}
