import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Prisma, type Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { AuditService, InvitationsService, TenantDb, currentContext } from '@tocsin/tenancy';
import { LoginRateLimiter } from './login-rate-limiter';
import { assertPasswordPolicy, dummyVerify, hashPassword, verifyPassword } from './password';
import { SessionsService } from './sessions/sessions.service';

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

export interface ClientMeta {
  ip?: string;
  userAgent?: string;
}

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
  organizationName: string;
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  sessionId: string;
  userId: string;
  orgId: string | null;
}

export function normalizeEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e) || e.length > 254) throw AppError.badInput('That is not a valid email address', { field: 'email' });
  return e;
}

function requireText(value: string, field: string, max = 100): string {
  const v = value.trim();
  if (!v) throw AppError.badInput(`${field} must not be empty`, { field });
  if (v.length > max) throw AppError.badInput(`${field} is longer than ${max} characters`, { field });
  return v;
}

function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return base || 'org';
}

function isUniqueViolation(err: unknown, field?: string): boolean {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== 'P2002') return false;
  if (!field) return true;
  return JSON.stringify(err.meta ?? {}).includes(field);
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: TenantDb,
    private readonly sessions: SessionsService,
    private readonly limiter: LoginRateLimiter,
    private readonly invitations: InvitationsService,
    private readonly audit: AuditService,
  ) {}

  /** Creates a person and their organization (as its owner) and signs them in. */
  async signUp(input: SignUpInput, meta: ClientMeta): Promise<IssuedSession> {
    const email = normalizeEmail(input.email);
    const name = requireText(input.name, 'name');
    const orgName = requireText(input.organizationName, 'organizationName');
    assertPasswordPolicy(input.password);
    const passwordHash = await hashPassword(input.password);
    const userId = randomUUID();
    const orgId = await this.createOrganization(orgName, async (tx, newOrgId) => {
      try {
        await tx.user.create({ data: { id: userId, email, name, passwordHash } });
      } catch (err) {
        if (isUniqueViolation(err, 'email')) {
          throw AppError.badInput('An account with this email already exists; log in instead', { field: 'email' });
        }
        throw err;
      }
      await tx.membership.create({ data: { orgId: newOrgId, userId, role: 'OWNER' } });
      await this.audit.record(tx, newOrgId, { action: 'organization.create', targetType: 'organization', targetId: newOrgId }, { userId });
    });
    return this.issue(userId, orgId, meta);
  }

  /** Creates an organization for an existing user (who becomes its owner). */
  async createOrganizationFor(userId: string, name: string): Promise<string> {
    const orgName = requireText(name, 'name');
    return this.createOrganization(orgName, async (tx, orgId) => {
      await tx.membership.create({ data: { orgId, userId, role: 'OWNER' } });
      await this.audit.record(tx, orgId, { action: 'organization.create', targetType: 'organization', targetId: orgId }, { userId });
    });
  }

  private async createOrganization(name: string, then: (tx: Tx, orgId: string) => Promise<void>): Promise<string> {
    // Slugs of other tenants are invisible under RLS, so a taken slug shows up as a unique
    // violation; retry with a random suffix.
    for (let attempt = 0; attempt < 5; attempt++) {
      const orgId = randomUUID();
      const slug = attempt === 0 ? slugify(name) : `${slugify(name).slice(0, 33)}-${randomBytes(3).toString('hex')}`;
      try {
        await this.db.forOrg(orgId, async (tx) => {
          await tx.organization.create({ data: { id: orgId, slug, name } });
          await then(tx, orgId);
        });
        return orgId;
      } catch (err) {
        if (isUniqueViolation(err, 'slug')) continue;
        throw err;
      }
    }
    throw new AppError('CONFLICT', 'Could not find a free organization slug; try another name');
  }

  async logIn(emailInput: string, password: string, meta: ClientMeta): Promise<IssuedSession> {
    const email = normalizeEmail(emailInput);
    await this.limiter.assertAllowed(email, meta.ip);
    const user = await this.db.global.user.findUnique({ where: { email } });
    const ok = user ? await verifyPassword(user.passwordHash, password) : await dummyVerify(password);
    if (!user || !ok) {
      await this.limiter.recordFailure(email, meta.ip);
      throw AppError.unauthenticated('Wrong email or password');
    }
    await this.limiter.recordSuccess(email);
    const first = await this.db.asUser(user.id, (tx) =>
      tx.membership.findFirst({ where: { userId: user.id }, orderBy: { createdAt: 'asc' } }),
    );
    return this.issue(user.id, first?.orgId ?? null, meta);
  }

  async logOut(): Promise<boolean> {
    const { sessionId } = currentContext();
    if (sessionId) await this.sessions.revoke(sessionId);
    return true;
  }

  async switchOrganization(orgId: string): Promise<void> {
    const { sessionId, userId } = currentContext();
    if (!sessionId || !userId) throw AppError.forbidden('Only a signed-in session can switch organizations');
    const membership = await this.db.asUser(userId, (tx) => tx.membership.findFirst({ where: { orgId, userId } }));
    // Not a member and no such organization look the same from outside.
    if (!membership) throw AppError.notFound('Organization');
    await this.sessions.setCurrentOrg(sessionId, orgId);
  }

  /**
   * Accepts an invitation: a signed-in person joins as they are; otherwise a new account is
   * created for the invited email with the given name and password.
   */
  async acceptInvitation(token: string, account: { name?: string | null; password?: string | null }, meta: ClientMeta): Promise<IssuedSession> {
    const invitation = await this.invitations.findValid(token);
    const ctx = currentContext();
    let userId = ctx.userId;
    if (!userId) {
      const existing = await this.db.global.user.findUnique({ where: { email: invitation.email } });
      if (existing) throw AppError.unauthenticated('An account with this email exists; log in first, then open the link again');
      const name = requireText(account.name ?? '', 'name');
      assertPasswordPolicy(account.password ?? '');
      const passwordHash = await hashPassword(account.password ?? '');
      userId = randomUUID();
      const newUserId = userId;
      await this.db.forOrg(invitation.orgId, async (tx) => {
        await tx.user.create({ data: { id: newUserId, email: invitation.email, name, passwordHash } });
        await this.invitations.accept(tx, invitation, newUserId);
      }, newUserId);
    } else {
      const joiningUserId = userId;
      await this.db.forOrg(invitation.orgId, (tx) => this.invitations.accept(tx, invitation, joiningUserId), joiningUserId);
      // The old session is replaced by one acting in the organization just joined.
      if (ctx.sessionId) await this.sessions.revoke(ctx.sessionId);
    }
    return this.issue(userId, invitation.orgId, meta);
  }

  private async issue(userId: string, orgId: string | null, meta: ClientMeta): Promise<IssuedSession> {
    const { token, session, expiresAt } = await this.sessions.create(userId, orgId, meta);
    return { token, expiresAt, sessionId: session.id, userId, orgId };
  }
}
