import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { ZodError } from 'zod';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { currentOrgId } from '@tocsin/tenancy';
import { loadConfig } from '@tocsin/config';
import { isBlockedAddress, literalAddress } from '../ssrf/address-policy';
import { ProbeScheduler } from '../schedule/probe-scheduler.service';
import { compileRelabelConfigs } from './relabel';
import type { ScrapeTargetObject, ScrapeTargetInput } from './dto/scrape-target.object';
import { sealAuth } from './auth-seal';
import type { ScrapeAuth } from './scrape-engine';
import { ScrapeTargetsRepository, type ScrapeTargetRow, type ScrapeTargetWrite } from './scrape-targets.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function toScrapeTargetObject(r: ScrapeTargetRow): ScrapeTargetObject {
  return {
    id: r.id,
    job: r.job,
    scheme: r.scheme,
    address: r.address,
    metricsPath: r.metricsPath,
    intervalSeconds: r.intervalMs / 1000,
    timeoutSeconds: r.timeoutMs / 1000,
    labels: r.labels,
    authKind: r.auth?.kind ?? null,
    metricRelabelConfigs: r.metricRelabelConfigs,
    enabled: r.enabled,
    health: r.health,
    lastScrapeAt: r.lastScrapeAt,
    lastError: r.lastError,
    lastDurationSeconds: r.lastDurationMs === null ? null : r.lastDurationMs / 1000,
    lastSamples: r.lastSamples,
  };
}

/** Validates a target as the user typed it; every problem is a BAD_USER_INPUT with a clear message. */
export function validateScrapeTarget(input: ScrapeTargetInput): Omit<ScrapeTargetWrite, 'auth'> & { auth: ScrapeAuth | null } {
  const job = input.job?.trim();
  if (!job || job.length > 200) throw AppError.badInput('job must be 1–200 characters');
  const scheme = input.scheme ?? 'http';
  if (scheme !== 'http' && scheme !== 'https') throw AppError.badInput('scheme must be http or https');
  const address = input.address?.trim() ?? '';
  let url: URL;
  try {
    url = new URL(`${scheme}://${address}`);
  } catch {
    throw AppError.badInput(`address "${address}" is not host:port`);
  }
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || !address || /[/?#@]/.test(address)) {
    throw AppError.badInput(`address "${address}" must be host:port only`);
  }
  // Literal private addresses are refused at once; names are judged on every scrape (DNS changes).
  const literal = literalAddress(url.hostname);
  if (literal && isBlockedAddress(literal.address) && !loadConfig().TOCSIN_ALLOW_PRIVATE_TARGETS) {
    throw AppError.badInput(`address ${address} is in a private, loopback or reserved range`);
  }
  const metricsPath = input.metricsPath ?? '/metrics';
  if (!metricsPath.startsWith('/') || metricsPath.length > 1000) throw AppError.badInput('metricsPath must start with /');
  const intervalMs = Math.round((input.intervalSeconds ?? 60) * 1000);
  const timeoutMs = Math.round((input.timeoutSeconds ?? 10) * 1000);
  if (!(intervalMs >= 1000 && intervalMs <= 3_600_000)) throw AppError.badInput('intervalSeconds must be between 1 and 3600');
  if (!(timeoutMs >= 100 && timeoutMs <= intervalMs)) throw AppError.badInput('timeoutSeconds must be at least 0.1 and at most the interval');
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.labels ?? {})) {
    if (!LABEL_NAME.test(k) || k.startsWith('__') || k === 'job' || k === 'instance') throw AppError.badInput(`label name "${k}" is not allowed`);
    if (typeof v !== 'string') throw AppError.badInput(`label ${k} must be a string`);
    labels[k] = v;
  }
  if (input.basicAuth && input.bearerToken) throw AppError.badInput('use basic auth or a bearer token, not both');
  if ((input.basicAuth || input.bearerToken) && input.clearAuth) throw AppError.badInput('clearAuth with new credentials makes no sense');
  const auth: ScrapeAuth | null = input.basicAuth ? { basic: { username: input.basicAuth.username, password: input.basicAuth.password } } : input.bearerToken ? { bearer: input.bearerToken } : null;
  const metricRelabelConfigs = (input.metricRelabelConfigs ?? []) as unknown[];
  try {
    compileRelabelConfigs(metricRelabelConfigs);
  } catch (err) {
    const msg = err instanceof ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (err as Error).message;
    throw AppError.badInput(`metricRelabelConfigs: ${msg}`);
  }
  return { job, scheme, address, metricsPath, intervalMs, timeoutMs, labels, auth, metricRelabelConfigs, enabled: input.enabled ?? true };
}

@Injectable()
export class ScrapeTargetsService {
  private readonly repo = new ScrapeTargetsRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly scheduler: ProbeScheduler,
  ) {}

  async list(): Promise<ScrapeTargetObject[]> {
    const orgId = currentOrgId();
    return (await withOrgClient(this.pool, orgId, (c) => this.repo.list(c, orgId))).map(toScrapeTargetObject);
  }

  async get(id: string): Promise<ScrapeTargetObject> {
    return toScrapeTargetObject(await this.find(id));
  }

  async create(input: ScrapeTargetInput): Promise<ScrapeTargetObject> {
    const orgId = currentOrgId();
    const { auth, ...t } = validateScrapeTarget(input);
    const row = await withOrgClient(this.pool, orgId, (c) => this.repo.create(c, orgId, { ...t, auth: auth && sealAuth(auth, orgId) })).catch(conflict);
    await this.reschedule(row);
    return toScrapeTargetObject(row);
  }

  async update(id: string, input: ScrapeTargetInput): Promise<ScrapeTargetObject> {
    const orgId = currentOrgId();
    checkId(id);
    const { auth, ...t } = validateScrapeTarget(input);
    const sealed = auth ? sealAuth(auth, orgId) : input.clearAuth ? null : undefined;
    const row = await withOrgClient(this.pool, orgId, (c) => this.repo.update(c, orgId, id, { ...t, auth: sealed })).catch(conflict);
    if (!row) throw AppError.notFound('Scrape target');
    await this.reschedule(row);
    return toScrapeTargetObject(row);
  }

  async delete(id: string): Promise<boolean> {
    const orgId = currentOrgId();
    checkId(id);
    const deleted = await withOrgClient(this.pool, orgId, (c) => this.repo.delete(c, orgId, id));
    if (!deleted) throw AppError.notFound('Scrape target');
    await this.scheduler.unschedule('scrape', id);
    return true;
  }

  private async find(id: string): Promise<ScrapeTargetRow> {
    const orgId = currentOrgId();
    checkId(id);
    const row = await withOrgClient(this.pool, orgId, (c) => this.repo.find(c, orgId, id));
    if (!row) throw AppError.notFound('Scrape target');
    return row;
  }

  private async reschedule(row: ScrapeTargetRow): Promise<void> {
    if (row.enabled) await this.scheduler.schedule(row.orgId, 'scrape', row.id, row.intervalMs);
    else await this.scheduler.unschedule('scrape', row.id);
  }
}

function checkId(id: string): void {
  if (!UUID.test(id)) throw AppError.notFound('Scrape target');
}

function conflict(err: unknown): never {
  if ((err as { code?: string }).code === '23505') throw new AppError('CONFLICT', 'A target with this job, address and path exists');
  throw err;
}
