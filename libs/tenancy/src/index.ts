export { Public, RequirePermission, SignedIn, ACCESS_KEY } from './access.decorators';
export type { Access } from './access.decorators';
export { AccessGuard, requestFrom } from './access.guard';
export type { AuthenticatedRequest } from './access.guard';
export { ContextInterceptor } from './context.interceptor';
export {
  currentContext,
  currentOrgId,
  currentUserId,
  maybeContext,
  runAsOrg,
  runWithContext,
  systemContext,
} from './context';
export type { RequestContext } from './context';
export { ApiKeyScope, Permission, apiKeyScopes, rolePermissions, roleRank, scopePermissions } from './permissions';
export { randomSecret, sha256Hex } from './secrets';
export { TenantDb } from './tenant-db';
export type { OrgScoped } from './tenant-db';
export { AuditService } from './audit/audit.service';
export type { AuditEntry } from './audit/audit.service';
export { InvitationsService } from './invitations/invitations.service';
export type { ValidInvitation } from './invitations/invitations.service';
export { MembersService } from './members/members.service';
export { OrganizationMembership, OrganizationObject, UserObject } from './organizations/organization.object';
export {
  OrganizationLimitsCache,
  type OrganizationLimitsRow,
} from './organizations/organization-limits.cache';
export { TenancyModule } from './tenancy.module';
