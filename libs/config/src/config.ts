import { availableParallelism } from 'node:os';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/**
 * Every environment variable Tocsin reads. The README's table is generated from the same list,
 * so keep the descriptions here true.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .url()
    .describe('PostgreSQL URL of the owner role; migrations run as it. Unset: embedded PostgreSQL.'),
  DATABASE_APP_URL: z
    .string()
    .url()
    .optional()
    .describe('URL the api and worker connect with (no table ownership, no BYPASSRLS). Default: DATABASE_URL with the user tocsin_app.'),
  DATABASE_APP_PASSWORD: z.string().default('tocsin_app').describe('Password given to the app role when migrations create it.'),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  REDIS_URL: z.string().url().describe('Redis URL for BullMQ and pub/sub. Unset: a private redis-server.'),
  REDIS_PREFIX: z.string().default('tocsin').describe('Key prefix for queues and pub/sub channels.'),
  API_PORT: z.coerce.number().int().default(4000),
  API_HOST: z.string().default('0.0.0.0'),
  API_PROCESSES: z
    .string()
    .regex(/^(auto|[1-9][0-9]*)$/, 'a positive whole number or "auto"')
    .default('1')
    .describe('api processes on this host, sharing API_PORT (node:cluster; a supervisor restarts one that dies); `auto`: one per CPU core. Each has its own caches and DATABASE_POOL_SIZE connections (README, "Several api processes").'),
  WEB_PORT: z.coerce.number().int().default(3000),
  PUBLIC_WEB_URL: z.string().url().default('http://localhost:3000').describe('Where people reach the web app; used in links.'),
  PUBLIC_API_URL: z.string().url().default('http://localhost:4000').describe('Where clients reach the api; used in signed links and snippets.'),
  SECRET_KEY: z
    .string()
    .min(32)
    .default('dev-only-secret-key-change-me-in-production-0000')
    .describe('Signs links and encrypts channel secrets. Required (≥ 32 chars) in production.'),
  SESSION_TTL_HOURS: z.coerce.number().int().positive().default(24 * 30),
  COOKIE_SECURE: bool.describe('Mark the session cookie Secure (set behind HTTPS).'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().positive().default(50),
  GRAPHQL_MAX_COST: z.coerce.number().int().positive().default(5000),
  GRAPHQL_INTROSPECTION: z
    .enum(['true', 'false', ''])
    .optional()
    .describe('Force introspection on or off; default on except in production.'),
  LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_ATTEMPTS_PER_IP: z.coerce.number().int().positive().default(50),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SMTP_URL: z.string().url().optional().describe('SMTP server for email channels and direct email (smtp://user:pass@host:587, smtps://…).'),
  SMTP_FROM: z.string().default('Tocsin <tocsin@localhost>').describe('Sender of notification email.'),
  TWILIO_ACCOUNT_SID: z.string().optional().describe('Twilio account for direct SMS and voice pages (on-call).'),
  TWILIO_AUTH_TOKEN: z.string().optional().describe('Twilio auth token for direct SMS and voice pages.'),
  TWILIO_FROM: z.string().optional().describe('Twilio number (E.164) direct SMS and calls come from.'),
  TWILIO_API_BASE: z.string().url().default('https://api.twilio.com').describe('Twilio REST API base URL.'),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6).describe('Sends per delivery before it fails over to the fallback channel.'),
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(1).default(5000).describe('First retry delay of a delivery; doubles each attempt.'),
  NOTIFY_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000).describe('Timeout of one provider request.'),
  NOTIFY_LOCK_DURATION_MS: z.coerce.number().int().min(500).default(30_000).describe('How long a notify job stays claimed by a silent worker before another retries it.'),
  NOTIFY_ALLOW_PRIVATE_NETWORKS: bool.describe('Let channels deliver to loopback/private/link-local addresses (self-hosted internal receivers, tests). Off: tenants cannot reach your network.'),
  TOCSIN_ALLOW_PRIVATE_TARGETS: bool.describe('Let scrape targets and synthetic checks reach loopback/private/link-local addresses (self-hosted deployments probing their own network, tests). Off: every hop is refused before a socket opens.'),
  INGEST_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024)
    .describe('Largest metric ingest request body (as sent, compressed) the api reads; the default of every organization, whose own `ingest_max_body_bytes` may only lower it.'),
  INGEST_MAX_DECOMPRESSED_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024)
    .describe('Largest ingest body after decompression (snappy, gzip); the default of every organization, whose own `ingest_max_decompressed_bytes` may only lower it.'),
  QUERY_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(256 * 1024 * 1024)
    .describe('Memory for cached query_range results in each api process (README, "The query_range results cache"); 0 turns the results cache off.'),
  QUERY_CACHE_MAX_BYTES_PER_ORG: z.coerce
    .number()
    .int()
    .min(0)
    .default(32 * 1024 * 1024)
    .describe('Per-tenant limit: the part of QUERY_CACHE_MAX_BYTES one organization\'s cached results may hold; beyond it that organization\'s least recently used results go, no one else\'s.'),
  QUERY_CACHE_FRESHNESS_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(600)
    .describe('Steps newer than now minus this are never cached (Mimir\'s max_cache_freshness); writes older than it (less a minute for clock skew) invalidate the organization\'s cached results.'),
  QUERY_CACHE_SPLIT_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(86_400)
    .describe('query_range results are cached in pieces of this many seconds of absolute time (Mimir\'s split_queries_by_interval).'),
  PROBE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8).describe('Scrapes, checks and heartbeat evaluations one worker runs at once (queue probe).'),
  ALERT_EVALUATE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8).describe('Rule-group evaluations one worker runs at once (queue alert-evaluate); capped at DATABASE_POOL_SIZE − 2, since an evaluation may hold two pooled connections.'),
  ONCALL_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8).describe('Escalation and incident jobs one worker runs at once (queue oncall-escalate).'),
  WORKER_NICE: z.coerce.number().int().min(-20).max(19).default(0).describe('The worker\'s CPU niceness, set at start; 0 leaves it. On a host shared with the api, e.g. 10 lets ingest go first when the cores are busy and the worker\'s jobs wait (README, "Worker priority").'),
});

export type TocsinConfig = z.infer<typeof configSchema> & {
  introspection: boolean;
  databaseAppUrl: string;
};

export class ConfigError extends Error {}

let cached: TocsinConfig | undefined;

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TocsinConfig {
  if (cached && env === process.env) return cached;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && c.SECRET_KEY.startsWith('dev-only-')) {
    throw new ConfigError('SECRET_KEY must be set in production');
  }
  const config: TocsinConfig = {
    ...c,
    introspection:
      c.GRAPHQL_INTROSPECTION === 'true' ||
      (c.GRAPHQL_INTROSPECTION !== 'false' && c.NODE_ENV !== 'production'),
    databaseAppUrl: c.DATABASE_APP_URL ?? appUrlFrom(c.DATABASE_URL, c.DATABASE_APP_PASSWORD),
  };
  if (env === process.env) cached = config;
  return config;
}

/** The app role's URL: the owner's URL with the app role's credentials. */
export function appUrlFrom(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}

export const APP_ROLE = 'tocsin_app';

/** API_PROCESSES as a count: `auto` is the cores this process may use. */
export function apiProcessCount(
  config: Pick<TocsinConfig, 'API_PROCESSES'>,
  cores: number = availableParallelism(),
): number {
  return config.API_PROCESSES === 'auto' ? Math.max(1, cores) : Number(config.API_PROCESSES);
}

/** For tests that change the environment between cases. */
export function resetConfigCache(): void {
  cached = undefined;
}
