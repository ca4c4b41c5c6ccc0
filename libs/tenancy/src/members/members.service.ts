import { Injectable } from '@nestjs/common';
import type { Role } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { AuditService } from '../audit/audit.service';
import { currentContext } from '../context';
import { roleRank } from '../permissions';
import { TenantDb } from '../tenant-db';

export interface MemberView {
  user: { id: string; email: string; name: string; timeZone: string };
  role: Role;
  joinedAt: Date;
}

@Injectable()
export class MembersService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<MemberView[]> {
    return this.db.run(async (tx, orgId) => {
      const rows = await tx.membership.findMany({
        where: { orgId },
        include: { user: { select: { id: true, email: true, name: true, timeZone: true } } },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map((m) => ({ user: m.user, role: m.role, joinedAt: m.createdAt }));
    });
  }

  changeRole(userId: string, role: Role): Promise<MemberView> {
    return this.db.run(async (tx, orgId) => {
      const member = await tx.membership.findFirst({ where: { orgId, userId }, include: { user: true } });
      if (!member) throw AppError.notFound('Member');
      this.assertMayManage(member.role, role);
      if (member.role === 'OWNER' && role !== 'OWNER') await this.assertAnotherOwner(tx, orgId, userId);
      const updated = await tx.membership.update({ where: { id: member.id }, data: { role } });
      await this.audit.record(tx, orgId, {
        action: 'member.roleChange',
        targetType: 'user',
        targetId: userId,
        details: { from: member.role, to: role },
      });
      const { id, email, name, timeZone } = member.user;
      return { user: { id, email, name, timeZone }, role: updated.role, joinedAt: updated.createdAt };
    });
  }

  remove(userId: string): Promise<boolean> {
    return this.db.run(async (tx, orgId) => {
      const member = await tx.membership.findFirst({ where: { orgId, userId } });
      if (!member) throw AppError.notFound('Member');
      const self = currentContext().userId === userId;
      if (!self) this.assertMayManage(member.role, member.role);
      if (member.role === 'OWNER') await this.assertAnotherOwner(tx, orgId, userId);
      await tx.membership.delete({ where: { id: member.id } });
      await this.audit.record(tx, orgId, { action: 'member.remove', targetType: 'user', targetId: userId });
      return true;
    });
  }

  /** Nobody may act on, or hand out, a role above their own. */
  private assertMayManage(targetRole: Role, newRole: Role): void {
    const myRole = currentContext().role;
    if (!myRole) throw AppError.forbidden('Only people manage members');
    if (roleRank[targetRole] > roleRank[myRole] || roleRank[newRole] > roleRank[myRole]) {
      throw AppError.forbidden('You cannot manage a role above your own');
    }
  }

  private async assertAnotherOwner(tx: Parameters<Parameters<TenantDb['run']>[0]>[0], orgId: string, userId: string): Promise<void> {
    const owners = await tx.membership.count({ where: { orgId, role: 'OWNER', userId: { not: userId } } });
    if (owners === 0) throw AppError.badInput('An organization needs at least one owner');
  }
}
