import { randomUUID } from 'node:crypto';
import { loadConfig } from '@tocsin/config';
import { createPrismaClient, withOrg } from '@tocsin/db';
import { hashPassword } from '@tocsin/auth';

export const DEMO = {
  email: 'demo@tocsin.local',
  password: 'tocsin-demo-password',
  name: 'Demo User',
  organization: 'Demo',
  slug: 'demo',
};

/** Idempotent: a second `npm start` finds the demo user and changes nothing. */
export async function seedDemo(): Promise<typeof DEMO> {
  const prisma = createPrismaClient(loadConfig().databaseAppUrl, 2);
  try {
    const existing = await prisma.user.findUnique({ where: { email: DEMO.email } });
    if (existing) return DEMO;
    const userId = randomUUID();
    const orgId = randomUUID();
    const passwordHash = await hashPassword(DEMO.password);
    await withOrg(prisma, orgId, async (tx) => {
      await tx.user.create({ data: { id: userId, email: DEMO.email, name: DEMO.name, passwordHash } });
      await tx.organization.create({ data: { id: orgId, slug: DEMO.slug, name: DEMO.organization } });
      await tx.membership.create({ data: { orgId, userId, role: 'OWNER' } });
      await tx.auditLog.create({ data: { orgId, actorId: userId, action: 'organization.create', targetType: 'organization', targetId: orgId, details: { seeded: true } } });
    });
    return DEMO;
  } finally {
    await prisma.$disconnect();
  }
}
