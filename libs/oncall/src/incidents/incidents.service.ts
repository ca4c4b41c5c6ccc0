import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import type { AlertGroupIncidentJob } from '@tocsin/queue';
import { TenantDb, maybeContext } from '@tocsin/tenancy';
import { EscalationPoliciesService } from '../escalation/escalation-policies.service';
import {
  EscalationService,
  RESPONDER_STEP,
  emptyAfterCommit,
  event,
  type AfterCommit,
} from '../escalation/escalation.service';
import type { PolicySnapshot } from '../escalation/policy.types';
import { assertMembers, isUniqueViolation, isUuid, json, requireUuid } from '../oncall.util';
import { lockIncident, type IncidentRow } from './incident-lock';

export type IncidentStatus = 'TRIGGERED' | 'ACKNOWLEDGED' | 'RESOLVED';

/** Who acted and through what, recorded on every state change. */
export interface Actor {
  userId: string | null;
  apiKeyId?: string | null;
  via: 'graphql' | 'link' | 'sms' | 'voice' | 'alert' | 'api';
}

export interface OpenIncidentInput {
  title: string;
  urgency: 'high' | 'low';
  source: 'alert' | 'api' | 'manual';
  escalationPolicyId?: string | null;
  assignedUserIds?: string[];
  groupKey?: string | null;
  alerts?: unknown;
  ackTimeoutSeconds?: number | null;
}

/** People paged directly (manual incidents, reassignment) escalate as a one-level policy. */
function usersSnapshot(userIds: string[], name: string): PolicySnapshot {
  return {
    policyId: '',
    name,
    levels: [{ delaySeconds: 300, targets: userIds.map((id) => ({ type: 'user' as const, id })) }],
    repeatCount: 0,
  };
}

/** The actor of the current request, for GraphQL and API callers. */
export function contextActor(via: Actor['via'] = 'graphql'): Actor {
  const ctx = maybeContext();
  return { userId: ctx?.userId ?? null, apiKeyId: ctx?.apiKeyId ?? null, via };
}

@Injectable()
export class IncidentsService {
  constructor(
    private readonly db: TenantDb,
    private readonly policies: EscalationPoliciesService,
    private readonly escalation: EscalationService,
  ) {}

  /** Opens an incident in the caller's organization (GraphQL `createIncident`, by hand or by API key). */
  async create(input: OpenIncidentInput): Promise<IncidentRow> {
    const title = input.title?.trim();
    if (!title || title.length > 500) throw AppError.badInput('A title of 1–500 characters');
    if (input.urgency !== 'high' && input.urgency !== 'low')
      throw AppError.badInput('urgency must be high or low');
    if (
      input.ackTimeoutSeconds != null &&
      (!Number.isInteger(input.ackTimeoutSeconds) ||
        input.ackTimeoutSeconds < 1 ||
        input.ackTimeoutSeconds > 7 * 86400)
    ) {
      throw AppError.badInput('ackTimeoutSeconds must be 1…604800');
    }
    if (!input.escalationPolicyId && !input.assignedUserIds?.length)
      throw AppError.badInput('Give an escalation policy or people to assign');
    const after = emptyAfterCommit();
    const actor = contextActor(input.source === 'api' ? 'api' : 'graphql');
    const inc = await this.db.run((tx, orgId) =>
      this.openTx(tx, orgId, { ...input, title }, actor, after),
    );
    await this.escalation.afterCommit(after);
    return inc;
  }

  /** An alert group fires or resolves (queue `oncall-escalate`, enqueued by alerting). */
  async handleAlertGroup(
    job: AlertGroupIncidentJob,
  ): Promise<{ incidentId: string | null; action: string }> {
    const after = emptyAfterCommit();
    const actor: Actor = { userId: null, via: 'alert' };
    const run = () =>
      this.db.forOrg(job.orgId, async (tx) => {
        const open = await tx.oncallIncident.findFirst({
          where: { orgId: job.orgId, groupKey: job.groupKey, status: { not: 'RESOLVED' } },
        });
        if (job.status === 'resolved') {
          if (!open) return { incidentId: null, action: 'none' };
          await this.transitionTx(tx, job.orgId, open.id, 'RESOLVED', actor, after, {
            reason: 'alert resolved',
          });
          return { incidentId: open.id, action: 'resolved' };
        }
        if (open) {
          const locked = (await lockIncident(tx, job.orgId, open.id))!;
          const updated = await tx.oncallIncident.update({
            where: { id: locked.id },
            data: { alerts: json(job.alerts), title: job.title },
          });
          await event(tx, locked, 'alert', null, {
            status: 'firing',
            alerts: job.alerts.length,
            idempotencyKey: job.idempotencyKey,
          });
          after.publish.push(updated);
          return { incidentId: open.id, action: 'updated' };
        }
        const inc = await this.openTx(
          tx,
          job.orgId,
          {
            title: job.title,
            urgency: job.urgency,
            source: 'alert',
            escalationPolicyId: job.escalationPolicyId,
            groupKey: job.groupKey,
            alerts: job.alerts,
          },
          actor,
          after,
        );
        return { incidentId: inc.id, action: 'opened' };
      });
    let result;
    try {
      result = await run();
    } catch (err) {
      // Two firing jobs for one group raced to open it: the loser updates the winner's incident.
      if (!isUniqueViolation(err)) throw err;
      after.pages.length = after.delayed.length = after.escalate.length = after.publish.length = 0;
      result = await run();
    }
    await this.escalation.afterCommit(after);
    return result;
  }

  acknowledge(orgId: string, incidentId: string, actor: Actor): Promise<IncidentRow> {
    return this.transition(orgId, incidentId, 'ACKNOWLEDGED', actor);
  }

  resolve(orgId: string, incidentId: string, actor: Actor): Promise<IncidentRow> {
    return this.transition(orgId, incidentId, 'RESOLVED', actor);
  }

  /** For SMS replies: `ACK 12` names the incident by its number in the organization. */
  async byNumber(orgId: string, number: number): Promise<IncidentRow | null> {
    return this.db.forOrg(orgId, (tx) => tx.oncallIncident.findFirst({ where: { orgId, number } }));
  }

  /** Pages other people on an incident that is already being worked, without restarting its escalation. */
  async addResponders(incidentId: string, userIds: string[]): Promise<IncidentRow> {
    requireUuid(incidentId, 'Incident');
    const actor = contextActor();
    const after = emptyAfterCommit();
    const inc = await this.db.run(async (tx, orgId) => {
      await assertMembers(tx, orgId, userIds);
      const inc = await lockIncident(tx, orgId, incidentId);
      if (!inc) throw AppError.notFound('Incident');
      if (inc.status === 'RESOLVED') throw new AppError('CONFLICT', 'The incident is resolved');
      for (const userId of new Set(userIds))
        await this.escalation.pageUserTx(tx, inc, userId, null, RESPONDER_STEP, after);
      await event(tx, inc, 'responders', actor.userId, {
        userIds,
        apiKeyId: actor.apiKeyId ?? undefined,
      });
      const updated = await tx.oncallIncident.update({
        where: { id: inc.id },
        data: { assignedUserIds: [...new Set([...inc.assignedUserIds, ...userIds])] },
      });
      after.publish.push(updated);
      return updated;
    });
    await this.escalation.afterCommit(after);
    return inc;
  }

  /** Hands the incident to other people: a new escalation run that pages them, triggered again. */
  async reassign(incidentId: string, userIds: string[]): Promise<IncidentRow> {
    requireUuid(incidentId, 'Incident');
    if (!userIds.length) throw AppError.badInput('Assign at least one person');
    const actor = contextActor();
    const after = emptyAfterCommit();
    const inc = await this.db.run(async (tx, orgId) => {
      await assertMembers(tx, orgId, userIds);
      const inc = await lockIncident(tx, orgId, incidentId);
      if (!inc) throw AppError.notFound('Incident');
      if (inc.status === 'RESOLVED') throw new AppError('CONFLICT', 'The incident is resolved');
      const runId = randomUUID();
      const updated = await tx.oncallIncident.update({
        where: { id: inc.id },
        data: {
          status: 'TRIGGERED',
          escalationRunId: runId,
          escalationStep: -1,
          policySnapshot: json(usersSnapshot(userIds, 'reassigned')),
          assignedUserIds: userIds,
          acknowledgedAt: null,
          acknowledgedById: null,
        },
      });
      await event(tx, inc, 'reassign', actor.userId, {
        userIds,
        apiKeyId: actor.apiKeyId ?? undefined,
      });
      after.escalate.push({ job: { orgId, incidentId: inc.id, runId, step: 0 }, delayMs: 0 });
      after.publish.push(updated);
      return updated;
    });
    await this.escalation.afterCommit(after);
    return inc;
  }

  async addNote(incidentId: string, text: string): Promise<IncidentRow> {
    requireUuid(incidentId, 'Incident');
    const body = text?.trim();
    if (!body || body.length > 10_000) throw AppError.badInput('A note of 1–10000 characters');
    const actor = contextActor();
    const after = emptyAfterCommit();
    const inc = await this.db.run(async (tx, orgId) => {
      const inc = await tx.oncallIncident.findFirst({ where: { id: incidentId, orgId } });
      if (!inc) throw AppError.notFound('Incident');
      await event(tx, inc, 'note', actor.userId, {
        text: body,
        apiKeyId: actor.apiKeyId ?? undefined,
      });
      const updated = await tx.oncallIncident.update({
        where: { id: inc.id },
        data: { updatedAt: new Date() },
      });
      after.publish.push(updated);
      return updated;
    });
    await this.escalation.afterCommit(after);
    return inc;
  }

  list(filter: { status?: IncidentStatus | null; first: number }): Promise<IncidentRow[]> {
    if (filter.first < 1 || filter.first > 500) throw AppError.badInput('first must be 1…500');
    return this.db.run((tx, orgId) =>
      tx.oncallIncident.findMany({
        where: { orgId, ...(filter.status ? { status: filter.status } : {}) },
        orderBy: { number: 'desc' },
        take: filter.first,
      }),
    );
  }

  get(id: string): Promise<IncidentRow> {
    requireUuid(id, 'Incident');
    return this.db.run(async (tx, orgId) => {
      const inc = await tx.oncallIncident.findFirst({ where: { id, orgId } });
      if (!inc) throw AppError.notFound('Incident');
      return inc;
    });
  }

  /** For field resolvers: the parent incident was already read in (and names) its organization. */
  timeline(orgId: string, incidentId: string) {
    return this.db.forOrg(orgId, (tx) =>
      tx.oncallIncidentEvent.findMany({
        where: { orgId, incidentId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    );
  }

  pages(orgId: string, incidentId: string) {
    return this.db.forOrg(orgId, (tx) =>
      tx.oncallPage.findMany({ where: { orgId, incidentId }, orderBy: { createdAt: 'asc' } }),
    );
  }

  private async transition(
    orgId: string,
    incidentId: string,
    to: 'ACKNOWLEDGED' | 'RESOLVED',
    actor: Actor,
  ): Promise<IncidentRow> {
    requireUuid(incidentId, 'Incident');
    const after = emptyAfterCommit();
    const inc = await this.db.forOrg(
      orgId,
      (tx) => this.transitionTx(tx, orgId, incidentId, to, actor, after),
      actor.userId ?? undefined,
    );
    await this.escalation.afterCommit(after);
    return inc;
  }

  /**
   * Acknowledge or resolve under the incident's row lock. Both end the current escalation run, so
   * a step that was waiting for the lock finds a stale run and pages nobody. Repeating an
   * acknowledgement or a resolution changes nothing.
   */
  private async transitionTx(
    tx: Tx,
    orgId: string,
    incidentId: string,
    to: 'ACKNOWLEDGED' | 'RESOLVED',
    actor: Actor,
    after: AfterCommit,
    details: Record<string, unknown> = {},
  ): Promise<IncidentRow> {
    const inc = await lockIncident(tx, orgId, incidentId);
    if (!inc) throw AppError.notFound('Incident');
    if (inc.status === 'RESOLVED' || inc.status === to) return inc;
    const runId = randomUUID();
    const now = new Date();
    const updated = await tx.oncallIncident.update({
      where: { id: inc.id },
      data:
        to === 'ACKNOWLEDGED'
          ? {
              status: to,
              escalationRunId: runId,
              acknowledgedAt: now,
              acknowledgedById: actor.userId,
            }
          : { status: to, escalationRunId: runId, resolvedAt: now, resolvedById: actor.userId },
    });
    await event(tx, inc, to === 'ACKNOWLEDGED' ? 'ack' : 'resolve', actor.userId, {
      via: actor.via,
      ...(actor.apiKeyId ? { apiKeyId: actor.apiKeyId } : {}),
      ...details,
    });
    if (to === 'ACKNOWLEDGED' && inc.ackTimeoutSeconds) {
      after.ackTimeouts.push({
        job: { orgId, incidentId: inc.id, runId },
        delayMs: inc.ackTimeoutSeconds * 1000,
      });
    }
    after.publish.push(updated);
    return updated;
  }

  private async openTx(
    tx: Tx,
    orgId: string,
    input: OpenIncidentInput,
    actor: Actor,
    after: AfterCommit,
  ): Promise<IncidentRow> {
    let snapshot: PolicySnapshot;
    if (input.escalationPolicyId) {
      const exists =
        isUuid(input.escalationPolicyId) &&
        (await tx.oncallEscalationPolicy.findFirst({
          where: { orgId, id: input.escalationPolicyId },
          select: { id: true },
        }));
      // An alert routed to a policy deleted since still opens a visible incident (paging nobody)
      // rather than failing its job over and over; a person naming a missing policy gets an error.
      snapshot =
        exists || input.source !== 'alert'
          ? await this.policies.snapshot(tx, orgId, input.escalationPolicyId)
          : {
              policyId: input.escalationPolicyId,
              name: '(deleted policy)',
              levels: [],
              repeatCount: 0,
            };
    } else {
      await assertMembers(tx, orgId, input.assignedUserIds ?? []);
      snapshot = usersSnapshot(input.assignedUserIds ?? [], 'assigned');
    }
    const [{ last_number: number }] = await tx.$queryRaw<Array<{ last_number: number }>>`
      INSERT INTO oncall_incident_counters (org_id, last_number) VALUES (${orgId}::uuid, 1)
      ON CONFLICT (org_id) DO UPDATE SET last_number = oncall_incident_counters.last_number + 1
      RETURNING last_number`;
    const runId = randomUUID();
    const inc = await tx.oncallIncident.create({
      data: {
        orgId,
        number,
        title: input.title,
        urgency: input.urgency,
        status: 'TRIGGERED',
        source: input.source,
        groupKey: input.groupKey ?? null,
        escalationPolicyId: isUuid(input.escalationPolicyId) ? input.escalationPolicyId : null,
        policySnapshot: json(snapshot),
        escalationRunId: runId,
        ackTimeoutSeconds: input.ackTimeoutSeconds ?? null,
        assignedUserIds: input.assignedUserIds ?? [],
        alerts: input.alerts === undefined ? undefined : json(input.alerts),
      },
    });
    await event(tx, inc, 'opened', actor.userId, {
      source: input.source,
      via: actor.via,
      policy: snapshot.name,
      ...(actor.apiKeyId ? { apiKeyId: actor.apiKeyId } : {}),
    });
    after.escalate.push({ job: { orgId, incidentId: inc.id, runId, step: 0 }, delayMs: 0 });
    after.publish.push(inc);
    return inc;
  }
}
