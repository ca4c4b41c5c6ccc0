import { Injectable } from '@nestjs/common';
import { TenantDb, rolePermissions, scopePermissions, type RequestContext } from '@tocsin/tenancy';
import { ApiKeysService } from './api-keys/api-keys.service';
import { SessionsService } from './sessions/sessions.service';

export interface Credentials {
  /** The session cookie's value. */
  cookie?: string;
  /** The Authorization header. */
  authorization?: string;
  ip?: string;
}

/**
 * Turns presented credentials into a request context: a Bearer token (session `tss_…` or API
 * key `tsn_…`), an API key as the basic-auth password (what stock Prometheus and Grafana
 * configs send), or the web's session cookie. Nothing valid yields null.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly sessions: SessionsService,
    private readonly apiKeys: ApiKeysService,
    private readonly db: TenantDb,
  ) {}

  async authenticate(creds: Credentials): Promise<RequestContext | null> {
    const token = tokenFrom(creds.authorization) ?? creds.cookie;
    if (!token) return null;
    const key = await this.apiKeys.authenticate(token);
    if (key) {
      return {
        orgId: key.orgId,
        userId: null,
        role: null,
        apiKeyId: key.id,
        sessionId: null,
        permissions: scopePermissions(key.scopes),
        ip: creds.ip,
      };
    }
    const session = await this.sessions.findActive(token);
    if (!session) return null;
    return this.sessionContext(session.id, session.userId, session.currentOrgId, creds.ip);
  }

  async sessionContext(sessionId: string, userId: string, orgId: string | null, ip?: string): Promise<RequestContext> {
    const membership = orgId
      ? await this.db.asUser(userId, (tx) => tx.membership.findFirst({ where: { orgId, userId } }))
      : null;
    return {
      orgId: membership ? membership.orgId : null,
      userId,
      role: membership?.role ?? null,
      apiKeyId: null,
      sessionId,
      permissions: membership ? rolePermissions[membership.role] : new Set(),
      ip,
    };
  }
}

function tokenFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (/^bearer$/i.test(scheme)) return value;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}
