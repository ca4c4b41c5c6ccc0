import { Injectable } from '@nestjs/common';
import { AppError } from '@tocsin/graphql';
import { TenantDb } from '@tocsin/tenancy';
import { AlertsRepository, type AlertRow } from './alerts.repository';
import {
  AlertStateEnum,
  type AlertFilterInput,
  type AlertHistoryObject,
  type AlertObject,
} from './dto/alert.object';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toAlertObject(r: AlertRow): AlertObject {
  return {
    id: r.id,
    ruleId: r.ruleId,
    ruleName: r.rule.name,
    fingerprint: r.fingerprint,
    labels: r.labels as Record<string, string>,
    annotations: r.annotations as Record<string, string>,
    state: r.state as AlertStateEnum,
    severity: r.severity,
    activeSince: r.activeSince,
    firedAt: r.firedAt,
    resolvedAt: r.resolvedAt,
    lastValue: r.lastValue,
    lastEval: r.lastEval,
    keepFiringUntil: r.keepFiringUntil,
    flapping: r.flapping,
  };
}

@Injectable()
export class AlertsService {
  constructor(
    private readonly db: TenantDb,
    private readonly repo: AlertsRepository,
  ) {}

  async list(filter: AlertFilterInput = {}): Promise<AlertObject[]> {
    return this.listFor(null, filter);
  }

  /** For subscriptions, which name the organization from their connection rather than a request context. */
  async listFor(orgId: string | null, filter: AlertFilterInput = {}): Promise<AlertObject[]> {
    const limit = Math.min(Math.max(filter.limit ?? 500, 1), 1000);
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(filter.labels ?? {})) {
      if (typeof v !== 'string')
        throw AppError.badInput(`The label filter for "${k}" must be a string`);
      labels[k] = v;
    }
    if (filter.ruleId && !UUID.test(filter.ruleId)) return [];
    const q = {
      states: filter.states?.length
        ? filter.states
        : [AlertStateEnum.PENDING, AlertStateEnum.FIRING],
      severities: filter.severities ?? undefined,
      labels,
      ruleId: filter.ruleId ?? undefined,
      limit,
    };
    const rows = orgId
      ? await this.db.forOrg(orgId, (tx) => this.repo.list(tx, { orgId }, q))
      : await this.db.run((tx, org) => this.repo.list(tx, { orgId: org }, q));
    return rows.map(toAlertObject);
  }

  async get(id: string): Promise<AlertObject> {
    if (!UUID.test(id)) throw AppError.notFound('Alert');
    const row = await this.db.run((tx, orgId) => this.repo.find(tx, { orgId, id }));
    if (!row) throw AppError.notFound('Alert');
    return toAlertObject(row);
  }

  /** By organization: field resolvers run outside the request's context interceptor. */
  async history(orgId: string, alertId: string): Promise<AlertHistoryObject[]> {
    const rows = await this.db.forOrg(orgId, (tx) => this.repo.history(tx, { orgId, alertId }));
    return rows.map((h) => ({
      id: h.id,
      from: h.fromState as AlertStateEnum,
      to: h.toState as AlertStateEnum,
      value: h.value,
      flapping: h.flapping,
      at: h.at,
    }));
  }
}
