import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import { PRISMA, withOrg, type Db } from '@tocsin/db';
import { SendFences, type FencedResult, type SendFence, type SendResult } from '@tocsin/notify';
import { stillPageable } from '../escalation/escalation.service';

/**
 * No page may leave after an acknowledgement has committed. Recording a page already takes the
 * incident lock, but the send itself happens later, in notify's worker. So the page's send runs
 * inside a transaction holding the incident row FOR SHARE: an acknowledgement (FOR UPDATE) either
 * committed before this check, and the page is called off, or waits until the page has left.
 */
@Injectable()
export class IncidentPageFence implements OnModuleInit {
  constructor(
    private readonly fences: SendFences,
    @Inject(PRISMA) private readonly prisma: Db,
  ) {}

  onModuleInit(): void {
    this.fences.register(this.fence);
  }

  readonly fence: SendFence = (job, send) => {
    const source = job.source as { incidentId?: string; pageId?: string; purpose?: string } | undefined;
    if (source?.purpose !== 'page' || !source.incidentId || !source.pageId) return undefined;
    return this.guarded(job.orgId, source.incidentId, source.pageId, send);
  };

  private guarded(orgId: string, incidentId: string, pageId: string, send: () => Promise<SendResult>): Promise<FencedResult> {
    return withOrg(
      this.prisma,
      orgId,
      async (tx) => {
        const rows = await tx.$queryRaw<Array<{ status: string; escalation_run_id: string; number: number; run_id: string; step: number }>>`
          SELECT i.status, i.escalation_run_id, i.number, p.run_id, p.step
            FROM oncall_incidents i JOIN oncall_pages p ON p.incident_id = i.id AND p.org_id = i.org_id
           WHERE i.id = ${incidentId}::uuid AND i.org_id = ${orgId}::uuid AND p.id = ${pageId}::uuid
             FOR SHARE OF i`;
        const row = rows[0];
        if (!row) return { cancelled: 'The incident or page no longer exists' };
        const incident = { status: row.status, escalationRunId: row.escalation_run_id } as Parameters<typeof stillPageable>[0];
        if (!stillPageable(incident, row.run_id, row.step)) {
          return { cancelled: `Incident #${row.number} is ${row.status.toLowerCase()} (or re-escalated) since this page was decided` };
        }
        return send();
      },
      // The send runs inside the transaction, so it gets the send timeout plus slack.
      { timeoutMs: loadConfig().NOTIFY_SEND_TIMEOUT_MS + 5_000 },
    );
  }
}
