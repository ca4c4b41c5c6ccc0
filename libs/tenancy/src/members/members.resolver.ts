import { Args, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@tocsin/db';
import { RequirePermission } from '../access.decorators';
import { UserObject } from '../organizations/organization.object';
import { Permission } from '../permissions';
import { MembersService } from './members.service';

@ObjectType()
export class Member {
  @Field(() => UserObject) user: UserObject;
  @Field(() => Role) role: Role;
  @Field() joinedAt: Date;
}

@Resolver(() => Member)
export class MembersResolver {
  constructor(private readonly service: MembersService) {}

  @Query(() => [Member], { name: 'members', description: 'Members of the current organization.' })
  @RequirePermission(Permission.MembersRead)
  members(): Promise<Member[]> {
    return this.service.list();
  }

  @Mutation(() => Member, { description: 'Changes a member\'s role; nobody may grant a role above their own, and one owner must remain.' })
  @RequirePermission(Permission.MembersManage)
  changeMemberRole(
    @Args('userId', { type: () => ID }) userId: string,
    @Args('role', { type: () => Role }) role: Role,
  ): Promise<Member> {
    return this.service.changeRole(userId, role);
  }

  @Mutation(() => Boolean, { description: 'Removes a member from the current organization.' })
  @RequirePermission(Permission.MembersManage)
  removeMember(@Args('userId', { type: () => ID }) userId: string): Promise<boolean> {
    return this.service.remove(userId);
  }
}
