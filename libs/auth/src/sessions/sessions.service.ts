import { Inject, Injectable } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import { PRISMA, type Db } from '@tocsin/db';
import { randomSecret, sha256Hex } from '@tocsin/tenancy';

export const SESSION_PREFIX = 'tss_';
export const SESSION_COOKIE = 'tocsin_session';

export interface ActiveSession {
  id: string;
  userId: string;
  currentOrgId: string | null;
}

/** Sessions are opaque random tokens; only their SHA-256 is stored, and revoking is immediate. */
@Injectable()
export class SessionsService {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  async create(userId: string, currentOrgId: string | null, meta: { ip?: string; userAgent?: string }) {
    const token = randomSecret(SESSION_PREFIX);
    const ttlMs = loadConfig().SESSION_TTL_HOURS * 3600 * 1000;
    const session = await this.prisma.session.create({
      data: {
        userId,
        currentOrgId,
        tokenHash: sha256Hex(token),
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 512),
        expiresAt: new Date(Date.now() + ttlMs),
      },
    });
    return { token, session, expiresAt: session.expiresAt };
  }

  async findActive(token: string): Promise<ActiveSession | null> {
    if (!token.startsWith(SESSION_PREFIX)) return null;
    const s = await this.prisma.session.findUnique({ where: { tokenHash: sha256Hex(token) } });
    if (!s || s.revokedAt || s.expiresAt.getTime() <= Date.now()) return null;
    return { id: s.id, userId: s.userId, currentOrgId: s.currentOrgId };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.prisma.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  async setCurrentOrg(sessionId: string, orgId: string): Promise<void> {
    await this.prisma.session.update({ where: { id: sessionId }, data: { currentOrgId: orgId } });
  }
}
