import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { loadConfig } from '@tocsin/config';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import { RulesService } from '@tocsin/alerting';
import { AppError } from '@tocsin/graphql';
import { currentOrgId, randomSecret, sha256Hex } from '@tocsin/tenancy';
import type { TsdbWriter } from '@tocsin/tsdb';
import { PROBES_WRITER } from '../probes.tokens';
import { ProbeScheduler } from '../schedule/probe-scheduler.service';
import type { CreatedHeartbeatObject, HeartbeatInput, HeartbeatObject } from './dto/heartbeat.object';
import { evaluationEveryMs, heartbeatDeadline, heartbeatSeries, validateCron } from './heartbeat-schedule';
import { HeartbeatsRepository, type HeartbeatRow } from './heartbeats.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Tokens are 43 base64url characters after the prefix; anything else is not worth a lookup. */
const TOKEN = /^hb_[A-Za-z0-9_-]{43}$/;

export function deadlineOf(r: HeartbeatRow): number {
  return heartbeatDeadline({ periodMs: r.periodMs, cron: r.cron, timezone: r.timezone, graceMs: r.graceMs, since: (r.lastBeatAt ?? r.createdAt).getTime() });
}

export function toHeartbeatObject(r: HeartbeatRow): HeartbeatObject {
  return {
    id: r.id,
    name: r.name,
    periodSeconds: r.periodMs === null ? null : r.periodMs / 1000,
    cron: r.cron,
    timezone: r.timezone,
    graceSeconds: r.graceMs / 1000,
    lastBeatAt: r.lastBeatAt,
    status: r.status,
    dueBy: new Date(deadlineOf(r)),
    ruleId: r.ruleId,
  };
}

@Injectable()
export class HeartbeatsService {
  private readonly repo = new HeartbeatsRepository();
  private readonly logger = new Logger('heartbeats');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PROBES_WRITER) private readonly writer: TsdbWriter,
    private readonly scheduler: ProbeScheduler,
    private readonly rules: RulesService,
  ) {}

  async list(): Promise<HeartbeatObject[]> {
    const orgId = currentOrgId();
    return (await withOrgClient(this.pool, orgId, (c) => this.repo.list(c, orgId))).map(toHeartbeatObject);
  }

  /** Creates the heartbeat, its evaluation schedule and, with alertWhenMissed, its alert rule. */
  async create(input: HeartbeatInput, alertWhenMissed: boolean): Promise<CreatedHeartbeatObject> {
    const orgId = currentOrgId();
    const name = input.name?.trim();
    if (!name || name.length > 200) throw AppError.badInput('name must be 1–200 characters');
    const timezone = input.timezone ?? 'UTC';
    const cron = input.cron?.trim() || null;
    const periodMs = input.periodSeconds ? input.periodSeconds * 1000 : null;
    if ((cron === null) === (periodMs === null)) throw AppError.badInput('give either periodSeconds or cron');
    if (periodMs !== null && (periodMs < 1000 || periodMs > 366 * 86_400_000)) throw AppError.badInput('periodSeconds must be between 1 and 31622400');
    if (cron) {
      try {
        validateCron(cron, timezone);
      } catch (err) {
        throw AppError.badInput(`cron: ${(err as Error).message}`);
      }
    }
    const graceMs = (input.graceSeconds ?? 0) * 1000;
    if (!(graceMs >= 0 && graceMs <= 7 * 86_400_000)) throw AppError.badInput('graceSeconds must be between 0 and 604800');
    const token = randomSecret('hb_');
    let row = await withOrgClient(this.pool, orgId, (c) => this.repo.create(c, orgId, { name, periodMs, cron, timezone, graceMs }, sha256Hex(token))).catch((err: { code?: string }) => {
      if (err.code === '23505') throw new AppError('CONFLICT', `A heartbeat named "${name}" exists`);
      throw err;
    });
    const everyMs = evaluationEveryMs({ periodMs, cron, timezone });
    if (alertWhenMissed) {
      try {
        const group = await this.rules.createGroup({ name: `heartbeat: ${name}`, interval: `${everyMs}ms` });
        const rule = await this.rules.createRule(group.id, {
          kind: 'alerting',
          name: 'HeartbeatMissed',
          expr: `heartbeat_up{heartbeat_id="${row.id}"} == 0`,
          labels: { heartbeat: name, severity: 'critical' },
          annotations: { summary: `Heartbeat ${name} missed` },
        });
        await withOrgClient(this.pool, orgId, (c) => this.repo.setRule(c, orgId, row.id, rule.id));
        row = { ...row, ruleId: rule.id };
      } catch (err) {
        await withOrgClient(this.pool, orgId, (c) => this.repo.delete(c, orgId, row.id));
        throw err;
      }
    }
    await this.scheduler.schedule(orgId, 'heartbeat', row.id, everyMs);
    return { heartbeat: toHeartbeatObject(row), pushUrl: `${loadConfig().PUBLIC_API_URL.replace(/\/$/, '')}/api/v1/heartbeat/${token}` };
  }

  async delete(id: string): Promise<boolean> {
    const orgId = currentOrgId();
    if (!UUID.test(id)) throw AppError.notFound('Heartbeat');
    const row = await withOrgClient(this.pool, orgId, (c) => this.repo.delete(c, orgId, id));
    if (!row) throw AppError.notFound('Heartbeat');
    await this.scheduler.unschedule('heartbeat', id);
    if (row.ruleId) {
      try {
        await this.rules.deleteGroup((await this.rules.rule(row.ruleId)).groupId);
      } catch (err) {
        this.logger.warn(`rule ${row.ruleId} of deleted heartbeat ${id} not removed: ${(err as Error).message}`);
      }
    }
    return true;
  }

  /**
   * A beat from the push URL. The token is the only credential; the series is written at once,
   * so a late beat resolves the alert at the next rule evaluation.
   */
  async beat(token: string, now = Date.now()): Promise<boolean> {
    if (!TOKEN.test(token)) return false;
    const owner = await this.repo.owner(this.pool, sha256Hex(token));
    if (!owner) return false;
    const row = await withOrgClient(this.pool, owner.orgId, (c) => this.repo.recordBeat(c, owner.orgId, owner.heartbeatId, new Date(now)));
    if (!row) return false;
    await this.writer.write(owner.orgId, heartbeatSeries(row, true, row.lastBeatAt!.getTime(), now));
    return true;
  }

  /** The `heartbeat` job: is the beat overdue? Writes heartbeat_up either way. */
  async evaluate(orgId: string, id: string, now = Date.now()): Promise<{ up: boolean } | null> {
    const row = await withOrgClient(this.pool, orgId, (c) => this.repo.find(c, orgId, id));
    if (!row) return null;
    const up = now <= deadlineOf(row);
    const status = up ? (row.lastBeatAt ? 'up' : 'new') : 'missed';
    if (status !== row.status) await withOrgClient(this.pool, orgId, (c) => this.repo.setStatus(c, orgId, id, status));
    await this.writer.write(orgId, heartbeatSeries(row, up, row.lastBeatAt?.getTime() ?? null, now));
    return { up };
  }

  async all(orgId: string): Promise<{ id: string; everyMs: number }[]> {
    return withOrgClient(this.pool, orgId, async (c) => (await this.repo.list(c, orgId)).map((r) => ({ id: r.id, everyMs: evaluationEveryMs(r) })));
  }
}
