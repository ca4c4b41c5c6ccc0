export { createPrismaClient, withOrg } from './prisma';
export type { Db, ScopeOptions, Tx } from './prisma';
export { createPgPool, inlineParams, withOrgClient, type OrgClientOptions } from './pg-pool';
export { migrate } from './migrate';
export type { MigrateOptions, MigrateResult } from './migrate';
export { Prisma, Role } from './generated/prisma/client';
export type {
  ApiKey,
  AuditLog,
  Invitation,
  Membership,
  Organization,
  Session,
  User,
} from './generated/prisma/client';
export { DbModule, PG_POOL, PRISMA } from './db.module';
