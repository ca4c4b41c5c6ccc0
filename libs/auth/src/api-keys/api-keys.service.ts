import { Inject, Injectable } from '@nestjs/common';
import { PRISMA, type Db } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { AuditService, TenantDb, apiKeyScopes, randomSecret, sha256Hex, type ApiKeyScope } from '@tocsin/tenancy';

export const API_KEY_PREFIX = 'tsn_';

export interface AuthenticatedKey {
  id: string;
  orgId: string;
  scopes: string[];
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    @Inject(PRISMA) private readonly prisma: Db,
  ) {}

  list() {
    return this.db.run((tx, orgId) => tx.apiKey.findMany({ where: { orgId }, orderBy: { createdAt: 'desc' } }));
  }

  /** Returns the secret once; only its SHA-256 is kept. */
  async create(name: string, scopes: ApiKeyScope[], expiresAt: Date | null) {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100) throw AppError.badInput('Name the key (1–100 characters)', { field: 'name' });
    const unique = [...new Set(scopes)];
    if (!unique.length) throw AppError.badInput('Give the key at least one scope', { field: 'scopes' });
    if (unique.some((s) => !apiKeyScopes.includes(s))) throw AppError.badInput('Unknown scope', { field: 'scopes' });
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw AppError.badInput('expiresAt must be in the future', { field: 'expiresAt' });
    const secret = randomSecret(API_KEY_PREFIX);
    const apiKey = await this.db.run(async (tx, orgId) => {
      const key = await tx.apiKey.create({
        data: {
          orgId,
          name: trimmed,
          prefix: secret.slice(0, API_KEY_PREFIX.length + 6),
          secretHash: sha256Hex(secret),
          scopes: unique,
          expiresAt,
        },
      });
      await this.audit.record(tx, orgId, { action: 'apiKey.create', targetType: 'apiKey', targetId: key.id, details: { name: trimmed, scopes: unique } });
      return key;
    });
    return { apiKey, secret };
  }

  revoke(id: string) {
    return this.db.run(async (tx, orgId) => {
      const key = await tx.apiKey.findFirst({ where: { id, orgId } });
      if (!key) throw AppError.notFound('API key');
      if (key.revokedAt) return key;
      const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
      await this.audit.record(tx, orgId, { action: 'apiKey.revoke', targetType: 'apiKey', targetId: id });
      return revoked;
    });
  }

  /**
   * Resolves a presented secret before any organization is known, through a SECURITY DEFINER
   * function that answers only for that exact hash. Revoked and expired keys fail at once.
   */
  async authenticate(secret: string): Promise<AuthenticatedKey | null> {
    if (!secret.startsWith(API_KEY_PREFIX)) return null;
    const rows = await this.prisma.$queryRaw<
      Array<{ id: string; org_id: string; scopes: string[] | null; expires_at: Date | null; revoked_at: Date | null }>
    >`select * from auth_api_key(${sha256Hex(secret)})`;
    const key = rows[0];
    if (!key || key.revoked_at || (key.expires_at && key.expires_at.getTime() <= Date.now())) return null;
    // Recording use is best-effort and rate-limited in SQL; it must never fail a request.
    this.prisma.$executeRaw`select touch_api_key(${key.id}::uuid)`.catch(() => undefined);
    return { id: key.id, orgId: key.org_id, scopes: key.scopes ?? [] };
  }
}
