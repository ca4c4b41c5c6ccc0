import { Injectable } from '@nestjs/common';
import type { Role } from '@tocsin/db';
import { IncidentsService, type Actor, type IncidentRow } from '@tocsin/oncall';
import { Permission, TenantDb, rolePermissions } from '@tocsin/tenancy';

export type LinkAction = 'ack' | 'resolve';

/** What the signed-link and Twilio routes share: who may act, and acting as them. */
@Injectable()
export class OncallHttpService {
  constructor(
    private readonly db: TenantDb,
    private readonly incidents: IncidentsService,
  ) {}

  /** A link or phone number acts only for a current member whose role may respond. */
  async mayRespond(orgId: string, userId: string): Promise<boolean> {
    const m = await this.db.forOrg(orgId, (tx) =>
      tx.membership.findFirst({ where: { orgId, userId }, select: { role: true } }),
    );
    return !!m && rolePermissions[m.role as Role].has(Permission.IncidentsRespond);
  }

  async mayRead(orgId: string, userId: string): Promise<boolean> {
    const m = await this.db.forOrg(orgId, (tx) =>
      tx.membership.findFirst({ where: { orgId, userId }, select: { role: true } }),
    );
    return !!m && rolePermissions[m.role as Role].has(Permission.IncidentsRead);
  }

  async findIncident(orgId: string, incidentId: string): Promise<IncidentRow | null> {
    return this.db.forOrg(orgId, (tx) =>
      tx.oncallIncident.findFirst({ where: { id: incidentId, orgId } }),
    );
  }

  act(orgId: string, incidentId: string, action: LinkAction, actor: Actor): Promise<IncidentRow> {
    return action === 'ack'
      ? this.incidents.acknowledge(orgId, incidentId, actor)
      : this.incidents.resolve(orgId, incidentId, actor);
  }

  /** The (organization, user) pairs that verified this phone number. */
  async phoneOwners(address: string): Promise<Array<{ orgId: string; userId: string }>> {
    const rows = await this.db.global.$queryRaw<
      Array<{ org_id: string; user_id: string }>
    >`SELECT org_id, user_id FROM oncall_verified_phone_owners(${address})`;
    return rows.map((r) => ({ orgId: r.org_id, userId: r.user_id }));
  }
}
