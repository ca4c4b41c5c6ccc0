import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '@tocsin/graphql';
import { Permission } from './permissions';
import type { Role } from '@tocsin/db';

/** Who is acting, for whom: set once per request or job, read everywhere below. */
export interface RequestContext {
  orgId: string | null;
  userId: string | null;
  role: Role | null;
  apiKeyId: string | null;
  sessionId: string | null;
  permissions: ReadonlySet<Permission>;
  ip?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current context; throws when code that needs a tenant runs outside of one. */
export function currentContext(): RequestContext {
  const ctx = storage.getStore();
  if (!ctx) throw new Error('No request context: this code must run inside runWithContext()');
  return ctx;
}

export function maybeContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The acting organization; UNAUTHENTICATED when there is none. */
export function currentOrgId(): string {
  const { orgId } = currentContext();
  if (!orgId) throw AppError.unauthenticated('Choose an organization first');
  return orgId;
}

export function currentUserId(): string {
  const { userId } = currentContext();
  if (!userId) throw AppError.forbidden('This needs a signed-in user, not an API key');
  return userId;
}

/** A context for jobs, which act for one organization with no person behind them. */
export function systemContext(orgId: string, permissions: ReadonlySet<Permission>): RequestContext {
  return { orgId, userId: null, role: null, apiKeyId: null, sessionId: null, permissions };
}

const jobPermissions: ReadonlySet<Permission> = new Set(Object.values(Permission));

/** Runs a job's work as the organization it belongs to, with every permission a job may need. */
export function runAsOrg<T>(orgId: string, fn: () => T): T {
  return runWithContext(systemContext(orgId, jobPermissions), fn);
}
