import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { load as loadYaml } from 'js-yaml';
import { z } from 'zod';

const scrapeSchema = z.object({
  job: z.string().min(1),
  url: z.string().url(),
  labels: z.record(z.string(), z.string()).default({}),
});

export const agentConfigSchema = z.object({
  /** Base URL of Tocsin's api; batches go to <url>/api/v1/write. */
  url: z.string().url(),
  /** An API key with the ingest scope. */
  token: z.string().min(1),
  intervalSeconds: z.number().positive().max(3600).default(15),
  timeoutSeconds: z.number().positive().max(300).default(10),
  job: z.string().default('node'),
  instance: z.string().default(hostname()),
  labels: z.record(z.string(), z.string()).default({}),
  bufferDir: z.string().default('/var/lib/tocsin-agent/buffer'),
  bufferMaxBytes: z.number().int().positive().default(256 * 1024 * 1024),
  hostMetrics: z.boolean().default(true),
  scrape: z.array(scrapeSchema).default([]),
});
export type AgentConfig = z.output<typeof agentConfigSchema>;

const ENV: Record<string, [keyof AgentConfig, (v: string) => unknown]> = {
  TOCSIN_AGENT_URL: ['url', String],
  TOCSIN_AGENT_TOKEN: ['token', String],
  TOCSIN_AGENT_INTERVAL_SECONDS: ['intervalSeconds', Number],
  TOCSIN_AGENT_JOB: ['job', String],
  TOCSIN_AGENT_INSTANCE: ['instance', String],
  TOCSIN_AGENT_BUFFER_DIR: ['bufferDir', String],
  TOCSIN_AGENT_BUFFER_MAX_BYTES: ['bufferMaxBytes', Number],
};

/** The YAML file (if any), then environment variables over it; every problem in one error. */
export function loadAgentConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  let raw: Record<string, unknown> = {};
  if (file) {
    const doc = loadYaml(readFileSync(file, 'utf8'));
    if (doc !== undefined && (typeof doc !== 'object' || doc === null || Array.isArray(doc))) throw new Error(`${file}: expected a YAML mapping`);
    raw = { ...(doc as Record<string, unknown>) };
  }
  for (const [name, [key, conv]] of Object.entries(ENV)) if (env[name]) raw[key] = conv(env[name]!);
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid agent config:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return parsed.data;
}
