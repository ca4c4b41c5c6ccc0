import { Global, Module } from '@nestjs/common';
import { AuditResolver } from './audit/audit.resolver';
import { AuditService } from './audit/audit.service';
import { InvitationsResolver } from './invitations/invitations.resolver';
import { InvitationsService } from './invitations/invitations.service';
import { MembersResolver } from './members/members.resolver';
import { MembersService } from './members/members.service';
import { OrganizationLimitsCache } from './organizations/organization-limits.cache';
import { OrganizationsResolver } from './organizations/organizations.resolver';
import { TenantDb } from './tenant-db';

@Global()
@Module({
  providers: [
    TenantDb,
    AuditService,
    MembersService,
    InvitationsService,
    AuditResolver,
    MembersResolver,
    InvitationsResolver,
    OrganizationsResolver,
    OrganizationLimitsCache,
  ],
  exports: [TenantDb, AuditService, InvitationsService, MembersService, OrganizationLimitsCache],
})
export class TenancyModule {}
