import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

// Validated by hand rather than with zod: loading zod costs the agent ~12 MB of RSS for the
// whole life of the process (measured in docs/benchmarks.md), for a dozen fields read once.

export interface ScrapeConfig {
  job: string;
  url: string;
  labels: Record<string, string>;
}

export interface AgentConfig {
  /** Base URL of Tocsin's api; batches go to <url>/api/v1/write. */
  url: string;
  /** An API key with the ingest scope. */
  token: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  job: string;
  instance: string;
  labels: Record<string, string>;
  bufferDir: string;
  /** Disk budget of the backlog kept while Tocsin is unreachable; over it the oldest batches go. */
  bufferMaxBytes: number;
  /** Batches kept in memory before they spill to disk (while a send is slow or failing). */
  memoryBatches: number;
  hostMetrics: boolean;
  scrape: ScrapeConfig[];
}

const ENV: Record<string, [keyof AgentConfig, (v: string) => unknown]> = {
  TOCSIN_AGENT_URL: ['url', String],
  TOCSIN_AGENT_TOKEN: ['token', String],
  TOCSIN_AGENT_INTERVAL_SECONDS: ['intervalSeconds', Number],
  TOCSIN_AGENT_JOB: ['job', String],
  TOCSIN_AGENT_INSTANCE: ['instance', String],
  TOCSIN_AGENT_BUFFER_DIR: ['bufferDir', String],
  TOCSIN_AGENT_BUFFER_MAX_BYTES: ['bufferMaxBytes', Number],
};

/** Collects every problem, so one run of the agent reports them all. */
class Checker {
  readonly issues: string[] = [];
  constructor(private readonly raw: Record<string, unknown>) {}

  private take<T>(key: string, fallback: T | undefined, ok: (v: unknown) => boolean, what: string, at = key, from = this.raw): T {
    const v = from[key];
    if (v === undefined || v === null) {
      if (fallback === undefined) this.issues.push(`${at}: required`);
      return fallback as T;
    }
    if (!ok(v)) {
      this.issues.push(`${at}: expected ${what}, got ${JSON.stringify(v)}`);
      return fallback as T;
    }
    return v as T;
  }

  string(key: string, fallback?: string, at?: string, from?: Record<string, unknown>): string {
    return this.take(key, fallback, (v) => typeof v === 'string' && v.length > 0, 'a non-empty string', at, from);
  }

  url(key: string, at?: string, from?: Record<string, unknown>): string {
    return this.take<string>(key, undefined, (v) => typeof v === 'string' && /^https?:$/.test(safeUrl(v)?.protocol ?? ''), 'an http(s) URL', at, from);
  }

  number(key: string, fallback: number, min: number, max: number, integer = false): number {
    const what = `${integer ? 'an integer' : 'a number'} in (${min}, ${max}]`;
    return this.take(key, fallback, (v) => typeof v === 'number' && v > min && v <= max && (!integer || Number.isInteger(v)), what);
  }

  boolean(key: string, fallback: boolean): boolean {
    return this.take(key, fallback, (v) => typeof v === 'boolean', 'true or false');
  }

  labels(key: string, at = key, from = this.raw): Record<string, string> {
    return this.take(key, {}, (v) => isMapping(v) && Object.values(v).every((x) => typeof x === 'string'), 'a mapping of strings', at, from);
  }
}

function safeUrl(v: string): URL | undefined {
  try {
    return new URL(v);
  } catch {
    return undefined;
  }
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Fills defaults and checks types; throws one error listing every problem. */
export function parseAgentConfig(raw: Record<string, unknown>): AgentConfig {
  const c = new Checker(raw);
  const scrapeRaw = raw.scrape ?? [];
  const config: AgentConfig = {
    url: c.url('url'),
    token: c.string('token'),
    intervalSeconds: c.number('intervalSeconds', 15, 0, 3600),
    timeoutSeconds: c.number('timeoutSeconds', 10, 0, 300),
    job: c.string('job', 'node'),
    instance: c.string('instance', hostname()),
    labels: c.labels('labels'),
    bufferDir: c.string('bufferDir', '/var/lib/tocsin-agent/buffer'),
    bufferMaxBytes: c.number('bufferMaxBytes', 256 * 1024 * 1024, 0, Number.MAX_SAFE_INTEGER, true),
    memoryBatches: c.number('memoryBatches', 4, 0, 10_000, true),
    hostMetrics: c.boolean('hostMetrics', true),
    scrape: [],
  };
  if (!Array.isArray(scrapeRaw)) c.issues.push('scrape: expected a list');
  for (const [i, target] of (Array.isArray(scrapeRaw) ? scrapeRaw : []).entries()) {
    if (!isMapping(target)) {
      c.issues.push(`scrape.${i}: expected a mapping`);
      continue;
    }
    config.scrape.push({
      job: c.string('job', undefined, `scrape.${i}.job`, target),
      url: c.url('url', `scrape.${i}.url`, target),
      labels: c.labels('labels', `scrape.${i}.labels`, target),
    });
  }
  if (c.issues.length) throw new Error(`invalid agent config:\n${c.issues.map((i) => `  ${i}`).join('\n')}`);
  return config;
}

/** The YAML file (if any), then environment variables over it; every problem in one error. */
export function loadAgentConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  let raw: Record<string, unknown> = {};
  if (file) {
    // Loaded only when there is a file: an env-only agent never pays for the YAML parser.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { load } = require('js-yaml') as typeof import('js-yaml');
    const doc = load(readFileSync(file, 'utf8'));
    if (doc !== undefined && !isMapping(doc)) throw new Error(`${file}: expected a YAML mapping`);
    raw = { ...doc };
  }
  for (const [name, [key, conv]] of Object.entries(ENV)) if (env[name]) raw[key] = conv(env[name]!);
  return parseAgentConfig(raw);
}
