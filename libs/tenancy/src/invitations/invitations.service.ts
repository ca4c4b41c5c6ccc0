import { Inject, Injectable } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import { PRISMA, type Db, type Role, type Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { AuditService } from '../audit/audit.service';
import { currentContext, currentUserId } from '../context';
import { roleRank } from '../permissions';
import { randomSecret, sha256Hex } from '../secrets';
import { TenantDb } from '../tenant-db';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ValidInvitation {
  id: string;
  orgId: string;
  email: string;
  role: Role;
  expiresAt: Date;
  organizationName: string;
}

@Injectable()
export class InvitationsService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    @Inject(PRISMA) private readonly prisma: Db,
  ) {}

  /** Creates an invitation and returns the link to send (email comes with notifications). */
  create(email: string, role: Role) {
    const normalized = email.trim().toLowerCase();
    if (!EMAIL.test(normalized)) throw AppError.badInput('That is not a valid email address', { field: 'email' });
    const myRole = currentContext().role;
    if (!myRole || roleRank[role] > roleRank[myRole]) throw AppError.forbidden('You cannot invite someone to a role above your own');
    const token = randomSecret('tsi_');
    return this.db.run(async (tx, orgId) => {
      const existing = await tx.membership.findFirst({ where: { orgId, user: { email: normalized } } });
      if (existing) throw AppError.badInput(`${normalized} is already a member`, { field: 'email' });
      const invitation = await tx.invitation.create({
        data: {
          orgId,
          email: normalized,
          role,
          tokenHash: sha256Hex(token),
          invitedById: currentUserId(),
          expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
        },
      });
      await this.audit.record(tx, orgId, { action: 'invitation.create', targetType: 'invitation', targetId: invitation.id, details: { email: normalized, role } });
      return { invitation, url: `${loadConfig().PUBLIC_WEB_URL}/invite/${token}` };
    });
  }

  listPending() {
    return this.db.run((tx, orgId) =>
      tx.invitation.findMany({
        where: { orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { createdAt: 'desc' },
      }),
    );
  }

  revoke(id: string): Promise<boolean> {
    return this.db.run(async (tx, orgId) => {
      const { count } = await tx.invitation.updateMany({ where: { id, orgId, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
      if (!count) throw AppError.notFound('Invitation');
      await this.audit.record(tx, orgId, { action: 'invitation.revoke', targetType: 'invitation', targetId: id });
      return true;
    });
  }

  /**
   * Looks an invitation up by its secret before any organization is known (a SECURITY DEFINER
   * function answers for that exact hash only), and refuses used, revoked or expired ones.
   */
  async findValid(token: string): Promise<ValidInvitation> {
    const rows = await this.prisma.$queryRaw<
      Array<{ id: string; org_id: string; email: string; role: Role; expires_at: Date; accepted_at: Date | null; revoked_at: Date | null }>
    >`select * from invitation_by_token(${sha256Hex(token)})`;
    const inv = rows[0];
    if (!inv || inv.revoked_at) throw AppError.notFound('Invitation');
    if (inv.accepted_at) throw AppError.badInput('This invitation was already accepted');
    if (inv.expires_at.getTime() < Date.now()) throw AppError.badInput('This invitation has expired; ask for a new one');
    const org = await this.db.forOrg(inv.org_id, (tx) => tx.organization.findUniqueOrThrow({ where: { id: inv.org_id } }));
    return { id: inv.id, orgId: inv.org_id, email: inv.email, role: inv.role, expiresAt: inv.expires_at, organizationName: org.name };
  }

  /** Joins `userId` to the invitation's organization, inside the caller's transaction for that org. */
  async accept(tx: Tx, invitation: ValidInvitation, userId: string): Promise<void> {
    const { count } = await tx.invitation.updateMany({
      where: { id: invitation.id, orgId: invitation.orgId, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (!count) throw AppError.badInput('This invitation was already used');
    const existing = await tx.membership.findFirst({ where: { orgId: invitation.orgId, userId } });
    if (!existing) await tx.membership.create({ data: { orgId: invitation.orgId, userId, role: invitation.role } });
    await this.audit.record(tx, invitation.orgId, { action: 'invitation.accept', targetType: 'invitation', targetId: invitation.id }, { userId });
  }
}
