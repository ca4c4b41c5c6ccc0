import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { ChecksService } from './checks.service';
import { CheckInput, CheckObject, CheckRunObject } from './dto/check.object';

@Resolver()
export class ChecksResolver {
  constructor(private readonly service: ChecksService) {}

  @Query(() => [CheckObject])
  @RequirePermission(Permission.ConfigRead)
  checks(): Promise<CheckObject[]> {
    return this.service.list();
  }

  @Query(() => CheckObject)
  @RequirePermission(Permission.ConfigRead)
  check(@Args('id', { type: () => ID }) id: string): Promise<CheckObject> {
    return this.service.get(id);
  }

  @Mutation(() => CheckObject, { description: 'Creates a check; alertWhenDown also creates its alert rule in the same call.' })
  @RequirePermission(Permission.ConfigWrite)
  createCheck(
    @Args('input') input: CheckInput,
    @Args('alertWhenDown', { type: () => Boolean, nullable: true, defaultValue: false }) alertWhenDown: boolean,
  ): Promise<CheckObject> {
    return this.service.create(input, alertWhenDown);
  }

  @Mutation(() => CheckObject, { description: 'Replaces the definition; a rule made by alertWhenDown follows the new threshold and interval.' })
  @RequirePermission(Permission.ConfigWrite)
  updateCheck(@Args('id', { type: () => ID }) id: string, @Args('input') input: CheckInput): Promise<CheckObject> {
    return this.service.update(id, input);
  }

  @Mutation(() => CheckRunObject, {
    description:
      'Runs the check once now, through the same guard and timeout as scheduled runs, and records the result like one. At most 10 a minute per organization (RATE_LIMITED); a paused check is refused.',
  })
  @RequirePermission(Permission.ConfigWrite)
  runCheck(@Args('id', { type: () => ID }) id: string): Promise<CheckRunObject> {
    return this.service.runNow(id);
  }

  @Mutation(() => Boolean, { description: 'Deletes the check and the alert rule it created.' })
  @RequirePermission(Permission.ConfigWrite)
  deleteCheck(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.delete(id);
  }
}
