import { Args, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@tocsin/db';
import { Public, RequirePermission } from '../access.decorators';
import { Permission } from '../permissions';
import { InvitationsService } from './invitations.service';

@ObjectType()
export class Invitation {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field(() => Role) role: Role;
  @Field() expiresAt: Date;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) acceptedAt: Date | null;
}

@ObjectType()
export class InvitationLink {
  @Field(() => Invitation) invitation: Invitation;
  @Field({ description: 'Send this link to the person; it is shown only now and expires in 7 days.' }) url: string;
}

@ObjectType({ description: 'What an invitation link offers, shown before accepting.' })
export class InvitationPreview {
  @Field() organizationName: string;
  @Field() email: string;
  @Field(() => Role) role: Role;
  @Field() expiresAt: Date;
}

@InputType()
export class InviteMemberInput {
  @Field() email: string;
  @Field(() => Role) role: Role;
}

@Resolver()
export class InvitationsResolver {
  constructor(private readonly service: InvitationsService) {}

  @Query(() => [Invitation], { description: 'Invitations not yet accepted, revoked or expired.' })
  @RequirePermission(Permission.MembersManage)
  invitations(): Promise<Invitation[]> {
    return this.service.listPending();
  }

  @Query(() => InvitationPreview)
  @Public()
  async invitationPreview(@Args('token') token: string): Promise<InvitationPreview> {
    const inv = await this.service.findValid(token);
    return { organizationName: inv.organizationName, email: inv.email, role: inv.role, expiresAt: inv.expiresAt };
  }

  @Mutation(() => InvitationLink, { description: 'Invites someone by email to a role no higher than your own.' })
  @RequirePermission(Permission.MembersManage)
  inviteMember(@Args('input') input: InviteMemberInput): Promise<InvitationLink> {
    return this.service.create(input.email, input.role);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.MembersManage)
  revokeInvitation(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.revoke(id);
  }
}
