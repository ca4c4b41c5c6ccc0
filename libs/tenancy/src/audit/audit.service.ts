import { Injectable } from '@nestjs/common';
import type { Prisma, Tx } from '@tocsin/db';
import { maybeContext } from '../context';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
}

/** Who did what, written in the same transaction as the change it describes. */
@Injectable()
export class AuditService {
  async record(tx: Tx, orgId: string, entry: AuditEntry, actor?: { userId?: string | null; apiKeyId?: string | null }): Promise<void> {
    const ctx = maybeContext();
    await tx.auditLog.create({
      data: {
        orgId,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        details: entry.details,
        actorId: actor?.userId ?? ctx?.userId ?? null,
        apiKeyId: actor?.apiKeyId ?? ctx?.apiKeyId ?? null,
        ip: ctx?.ip ?? null,
      },
    });
  }
}
