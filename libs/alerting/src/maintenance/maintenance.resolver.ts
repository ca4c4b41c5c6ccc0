import { Args, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { MaintenanceService, type MaintenanceWindowView } from './maintenance.service';

@ObjectType('MaintenanceWindow')
export class MaintenanceWindowObject {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() matchersText: string;
  @Field(() => GraphQLJSON, {
    description:
      '{ timeZone, weekdays: ["monday:friday"], times: [{ start: "22:00", end: "24:00" }], ranges: [{ startsAt, endsAt }] }',
  })
  schedule: unknown;
  @Field() enabled: boolean;
  @Field() activeNow: boolean;
  @Field(() => Date, { nullable: true }) activeUntil: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class MaintenanceWindowInput {
  @Field() name: string;
  @Field({ description: 'Alertmanager matcher syntax; {} mutes every alert.' }) matchers: string;
  @Field(() => GraphQLJSON) schedule: unknown;
  @Field({ nullable: true }) enabled?: boolean;
}

@Resolver()
export class MaintenanceResolver {
  constructor(private readonly windows: MaintenanceService) {}

  @Query(() => [MaintenanceWindowObject])
  @RequirePermission(Permission.ConfigRead)
  maintenanceWindows(): Promise<MaintenanceWindowView[]> {
    return this.windows.list();
  }

  @Mutation(() => MaintenanceWindowObject)
  @RequirePermission(Permission.ConfigWrite)
  createMaintenanceWindow(
    @Args('input') input: MaintenanceWindowInput,
  ): Promise<MaintenanceWindowView> {
    return this.windows.create(input);
  }

  @Mutation(() => MaintenanceWindowObject)
  @RequirePermission(Permission.ConfigWrite)
  updateMaintenanceWindow(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: MaintenanceWindowInput,
  ): Promise<MaintenanceWindowView> {
    return this.windows.update(id, input);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.ConfigWrite)
  deleteMaintenanceWindow(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.windows.delete(id);
  }
}
