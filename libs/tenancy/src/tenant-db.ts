import { Inject, Injectable } from '@nestjs/common';
import { PRISMA, withOrg, type Db, type Tx } from '@tocsin/db';
import { currentContext, currentOrgId } from './context';

/**
 * The tenant-scoped Prisma client: every call runs in a transaction whose RLS setting is the
 * current organization. Repositories still filter by orgId; RLS is the net under them.
 */
@Injectable()
export class TenantDb {
  constructor(@Inject(PRISMA) private readonly prisma: Db) {}

  run<T>(fn: (tx: Tx, orgId: string) => Promise<T>): Promise<T> {
    const orgId = currentOrgId();
    const { userId } = currentContext();
    return withOrg(this.prisma, orgId, (tx) => fn(tx, orgId), { userId: userId ?? undefined });
  }

  /** For a named organization (jobs, sign-up) rather than the context's. */
  forOrg<T>(orgId: string, fn: (tx: Tx) => Promise<T>, userId?: string): Promise<T> {
    return withOrg(this.prisma, orgId, fn, { userId });
  }

  /** As a user with no organization chosen: sees that user's memberships and organizations. */
  asUser<T>(userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return withOrg(this.prisma, null, fn, { userId });
  }

  /** Tables without tenant rows (users, sessions). */
  get global(): Db {
    return this.prisma;
  }
}

/** `where` clauses of tenant tables must name the organization; forgetting it fails to compile. */
export type OrgScoped<W> = W & { orgId: string };
