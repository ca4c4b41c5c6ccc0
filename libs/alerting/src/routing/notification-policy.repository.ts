import { Injectable } from '@nestjs/common';
import type { Prisma, Tx } from '@tocsin/db';

/** The only code that touches the notification_policies table (one document per organization). */
@Injectable()
export class NotificationPolicyRepository {
  async get(
    tx: Tx,
    orgId: string,
  ): Promise<{ document: unknown; version: number; updatedAt: Date } | null> {
    return tx.notificationPolicy.findFirst({ where: { orgId } });
  }

  async put(
    tx: Tx,
    orgId: string,
    document: unknown,
  ): Promise<{ document: unknown; version: number; updatedAt: Date }> {
    const doc = document as Prisma.InputJsonValue;
    return tx.notificationPolicy.upsert({
      where: { orgId },
      create: { orgId, document: doc },
      update: { document: doc, version: { increment: 1 } },
    });
  }
}
