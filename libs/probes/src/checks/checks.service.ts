import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { ZodError, type ZodType } from 'zod';
import { loadConfig } from '@tocsin/config';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import { RulesService } from '@tocsin/alerting';
import { AppError } from '@tocsin/graphql';
import { REDIS, redisKey } from '@tocsin/queue';
import { currentOrgId } from '@tocsin/tenancy';
import { isBlockedAddress, literalAddress } from '../ssrf/address-policy';
import { ProbeScheduler } from '../schedule/probe-scheduler.service';
import { dnsCheckConfigSchema, httpCheckConfigSchema, tcpCheckConfigSchema } from './check-config';
import { splitHostPort, type CheckKind } from './check-engine';
import { CheckRunner } from './check-runner.service';
import { ChecksRepository, type CheckRow, type CheckWrite } from './checks.repository';
import { maskedCheckConfig, sealCheckHeaders } from './check-secrets';
import type { CheckInput, CheckKindEnum, CheckObject, CheckRunObject } from './dto/check.object';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = 86_400_000;
/**
 * On-demand runs per organization per minute (fixed window, counted in Redis so it holds across
 * api replicas). Each run holds an api request for up to its timeout (at most 60 s) and sends real
 * traffic to the target, so a button held down must not become a load test.
 */
export const RUN_NOW_PER_MINUTE = 10;

export function toCheckObject(r: CheckRow, now = Date.now()): CheckObject {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as CheckKindEnum,
    target: r.target,
    config: maskedCheckConfig(r.config),
    intervalSeconds: r.intervalMs / 1000,
    timeoutSeconds: r.timeoutMs / 1000,
    failureThreshold: r.failureThreshold,
    consecutiveFailures: r.consecutiveFailures,
    enabled: r.enabled,
    status: r.status,
    lastCheckedAt: r.lastCheckedAt,
    lastError: r.lastError,
    lastDurationSeconds: r.lastDurationMs === null ? null : r.lastDurationMs / 1000,
    lastStatusCode: r.lastStatusCode,
    certDaysLeft: r.certNotAfter ? Math.floor(((r.certNotAfter.getTime() - now) / DAY) * 100) / 100 : null,
    ruleId: r.ruleId,
    showOnStatusPage: r.public,
  };
}

function parseConfig<T>(schema: ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw ?? {});
  if (!r.success) throw AppError.badInput(`config: ${(r.error as ZodError).issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

function refuseLiteralPrivate(host: string): void {
  const literal = literalAddress(host);
  if (literal && isBlockedAddress(literal.address) && !loadConfig().TOCSIN_ALLOW_PRIVATE_TARGETS) {
    throw AppError.badInput(`${host} is in a private, loopback or reserved range`);
  }
}

/** Validates a check as typed; names are judged again by the guard on every run. */
export function validateCheck(input: CheckInput): CheckWrite {
  const name = input.name?.trim();
  if (!name || name.length > 200) throw AppError.badInput('name must be 1–200 characters');
  const kind = input.kind as CheckKind;
  const target = input.target?.trim() ?? '';
  let config: Record<string, unknown>;
  if (kind === 'http') {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw AppError.badInput(`target "${target}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw AppError.badInput('target must be an http:// or https:// URL');
    refuseLiteralPrivate(url.hostname.replace(/^\[|\]$/g, ''));
    config = parseConfig(httpCheckConfigSchema, input.config);
  } else if (kind === 'tcp') {
    const { host, port } = splitHostPort(target);
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) throw AppError.badInput(`target "${target}" is not host:port`);
    refuseLiteralPrivate(host);
    config = parseConfig(tcpCheckConfigSchema, input.config);
  } else if (kind === 'dns') {
    if (!/^[a-zA-Z0-9_.-]{1,253}$/.test(target)) throw AppError.badInput(`target "${target}" is not a DNS name`);
    const dns = parseConfig(dnsCheckConfigSchema, input.config);
    if (dns.server) {
      const { host, port } = splitHostPort(dns.server, 53);
      if (!literalAddress(host) || !Number.isInteger(port) || port < 1 || port > 65535) throw AppError.badInput('config.server must be ip or ip:port');
      refuseLiteralPrivate(host);
    }
    config = dns;
  } else {
    throw AppError.badInput(`unknown check kind ${String(input.kind)}`);
  }
  const intervalMs = Math.round((input.intervalSeconds ?? 60) * 1000);
  const timeoutMs = Math.round((input.timeoutSeconds ?? 10) * 1000);
  if (!(intervalMs >= 1000 && intervalMs <= 86_400_000)) throw AppError.badInput('intervalSeconds must be between 1 and 86400');
  if (!(timeoutMs >= 100 && timeoutMs <= Math.min(intervalMs, 60_000))) throw AppError.badInput('timeoutSeconds must be at least 0.1 and at most the interval (and 60)');
  const failureThreshold = input.failureThreshold ?? 1;
  if (!Number.isInteger(failureThreshold) || failureThreshold < 1 || failureThreshold > 100) throw AppError.badInput('failureThreshold must be 1–100');
  return { name, kind, target, config, intervalMs, timeoutMs, failureThreshold, enabled: input.enabled ?? true, public: input.showOnStatusPage ?? false };
}

/** The PromQL of a check's "down" alert: N consecutive failures, counted by the worker. */
export function checkDownExpr(checkId: string, threshold: number): string {
  return `probe_consecutive_failures{check_id="${checkId}"} >= ${threshold}`;
}

@Injectable()
export class ChecksService {
  private readonly repo = new ChecksRepository();
  private readonly logger = new Logger('checks');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly scheduler: ProbeScheduler,
    private readonly rules: RulesService,
    private readonly runner: CheckRunner,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async list(): Promise<CheckObject[]> {
    const orgId = currentOrgId();
    return (await withOrgClient(this.pool, orgId, (c) => this.repo.list(c, orgId))).map((r) => toCheckObject(r));
  }

  async get(id: string): Promise<CheckObject> {
    const orgId = currentOrgId();
    if (!UUID.test(id)) throw AppError.notFound('Check');
    const row = await withOrgClient(this.pool, orgId, (c) => this.repo.find(c, orgId, id));
    if (!row) throw AppError.notFound('Check');
    return toCheckObject(row);
  }

  /**
   * Creates the check and, with alertWhenDown, its alert rule (in a rule group of its own at the
   * check's interval). If the rule cannot be created the check is removed again, so the caller
   * never gets half of what it asked for.
   */
  async create(input: CheckInput, alertWhenDown: boolean): Promise<CheckObject> {
    const orgId = currentOrgId();
    const w = validateCheck(input);
    if (w.kind === 'http') w.config = sealCheckHeaders(w.config, orgId);
    let row = await withOrgClient(this.pool, orgId, (c) => this.repo.create(c, orgId, w)).catch((err: { code?: string }) => {
      if (err.code === '23505') throw new AppError('CONFLICT', `A check named "${w.name}" exists`);
      throw err;
    });
    if (alertWhenDown) {
      try {
        const group = await this.rules.createGroup({ name: `check: ${w.name}`, interval: `${w.intervalMs}ms` });
        const rule = await this.rules.createRule(group.id, this.ruleDraft(row.id, w));
        await withOrgClient(this.pool, orgId, (c) => this.repo.setRule(c, orgId, row.id, rule.id));
        row = { ...row, ruleId: rule.id };
      } catch (err) {
        await withOrgClient(this.pool, orgId, (c) => this.repo.delete(c, orgId, row.id));
        throw err;
      }
    }
    if (row.enabled) await this.scheduler.schedule(orgId, 'check', row.id, row.intervalMs);
    return toCheckObject(row);
  }

  /** Replaces the check's definition; its alert rule follows the new name, threshold and interval. */
  async update(id: string, input: CheckInput): Promise<CheckObject> {
    const orgId = currentOrgId();
    if (!UUID.test(id)) throw AppError.notFound('Check');
    const w = validateCheck(input);
    const row = await withOrgClient(this.pool, orgId, async (c) => {
      const before = await this.repo.find(c, orgId, id);
      if (!before) return null;
      // Masked header values sent back as they were shown keep their stored values.
      if (w.kind === 'http') w.config = sealCheckHeaders(w.config, orgId, before.config);
      return this.repo.update(c, orgId, id, w);
    }).catch((err: { code?: string }) => {
      if (err.code === '23505') throw new AppError('CONFLICT', `A check named "${w.name}" exists`);
      throw err;
    });
    if (!row) throw AppError.notFound('Check');
    if (row.ruleId) {
      const rule = await this.rules.rule(row.ruleId);
      await this.rules.updateGroup(rule.groupId, { name: `check: ${w.name}`, interval: `${w.intervalMs}ms` });
      await this.rules.updateRule(row.ruleId, this.ruleDraft(row.id, w));
    }
    if (row.enabled) await this.scheduler.schedule(orgId, 'check', row.id, row.intervalMs);
    else await this.scheduler.unschedule('check', row.id);
    return toCheckObject(row);
  }

  private ruleDraft(checkId: string, w: CheckWrite) {
    return {
      kind: 'alerting' as const,
      name: 'CheckDown',
      expr: checkDownExpr(checkId, w.failureThreshold),
      labels: { check: w.name, severity: 'critical' },
      annotations: { summary: `Check ${w.name} is down`, description: `${w.target} failed ${w.failureThreshold} time(s) in a row` },
    };
  }

  async delete(id: string): Promise<boolean> {
    const orgId = currentOrgId();
    if (!UUID.test(id)) throw AppError.notFound('Check');
    const row = await withOrgClient(this.pool, orgId, (c) => this.repo.delete(c, orgId, id));
    if (!row) throw AppError.notFound('Check');
    await this.scheduler.unschedule('check', id);
    if (row.ruleId) {
      try {
        const rule = await this.rules.rule(row.ruleId);
        await this.rules.deleteGroup(rule.groupId);
      } catch (err) {
        this.logger.warn(`rule ${row.ruleId} of deleted check ${id} not removed: ${(err as Error).message}`);
      }
    }
    return true;
  }

  /**
   * Runs the check once now, through the worker's own path (CheckRunner: the SSRF guard, the
   * check's timeout, the recorded state and series), and returns the result with the check as
   * it stands after it. A paused check is refused rather than run: its series would otherwise
   * move (and its rule fire) while it is meant to be off.
   */
  async runNow(id: string, now = Date.now()): Promise<CheckRunObject> {
    const orgId = currentOrgId();
    if (!UUID.test(id)) throw AppError.notFound('Check');
    const before = await withOrgClient(this.pool, orgId, (c) => this.repo.find(c, orgId, id));
    if (!before) throw AppError.notFound('Check');
    if (!before.enabled) throw AppError.badInput('The check is paused; enable it to run it');
    await this.takeRunNow(orgId, now);
    const result = await this.runner.run(orgId, id, now);
    const after = await withOrgClient(this.pool, orgId, (c) => this.repo.find(c, orgId, id));
    // Deleted or paused while it ran: nothing was recorded for it.
    if (!result || !after) throw AppError.notFound('Check');
    return {
      success: result.success,
      error: result.error,
      durationSeconds: result.durationMs / 1000,
      statusCode: result.statusCode ?? null,
      check: toCheckObject(after, now),
    };
  }

  private async takeRunNow(orgId: string, now: number): Promise<void> {
    const window = Math.floor(now / 60_000);
    const key = redisKey('probes', 'run-now', orgId, String(window));
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, 120_000).exec()) as [[Error | null, number], unknown];
    if (count > RUN_NOW_PER_MINUTE) {
      const retry = Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000));
      throw AppError.rateLimited(`At most ${RUN_NOW_PER_MINUTE} on-demand check runs a minute per organization; try again in ${retry} s`, retry);
    }
  }
}
