import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { CreatedHeartbeatObject, HeartbeatInput, HeartbeatObject } from './dto/heartbeat.object';
import { HeartbeatsService } from './heartbeats.service';

@Resolver()
export class HeartbeatsResolver {
  constructor(private readonly service: HeartbeatsService) {}

  @Query(() => [HeartbeatObject])
  @RequirePermission(Permission.ConfigRead)
  heartbeats(): Promise<HeartbeatObject[]> {
    return this.service.list();
  }

  @Mutation(() => CreatedHeartbeatObject, { description: 'The push URL is returned once; alertWhenMissed also creates the alert rule.' })
  @RequirePermission(Permission.ConfigWrite)
  createHeartbeat(
    @Args('input') input: HeartbeatInput,
    @Args('alertWhenMissed', { type: () => Boolean, nullable: true, defaultValue: false }) alertWhenMissed: boolean,
  ): Promise<CreatedHeartbeatObject> {
    return this.service.create(input, alertWhenMissed);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.ConfigWrite)
  deleteHeartbeat(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.delete(id);
  }
}
